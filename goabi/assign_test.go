package goabi

import (
	"strings"
	"testing"
)

func locs(ls []Location) string {
	var s []string
	for _, l := range ls {
		s = append(s, l.String())
	}
	return strings.Join(s, " | ")
}

func repeat(t *Type, n int) []*Type {
	ts := make([]*Type, n)
	for i := range ts {
		ts[i] = t
	}
	return ts
}

var (
	i8, i16, i32, i64 = IntType(1), IntType(2), IntType(4), IntType(8)
	u8, u64           = UintType(1), UintType(8)
	f32, f64          = FloatType(4), FloatType(8)
	c64, c128         = ComplexType(8), ComplexType(16)
	str               = StringType()
	money             = StructType("Money", Field{"Units", 0, i64}, Field{"Nanos", 0, i32}, Field{"CurrencyCode", 0, str})
	zeroFunc          = ArrayType(0, WordType(FuncKind, "func()"))
	protoMsg          = StructType("Msg", Field{"_", 0, zeroFunc}, Field{"state", 0, StructType("state")}, Field{"A", 0, i64})
)

func TestAssign(t *testing.T) {
	for _, tc := range []struct {
		name, arch string
		params     []*Type
		want       string
	}{
		{"ints", "amd64", []*Type{i8, i16, i32, i64, u8}, "RAX[0:1] | RBX[0:2] | RCX[0:4] | RDI[0:8] | RSI[0:1]"},
		{"11 ints", "amd64", repeat(i64, 11),
			"RAX[0:8] | RBX[0:8] | RCX[0:8] | RDI[0:8] | RSI[0:8] | R8[0:8] | R9[0:8] | R10[0:8] | R11[0:8] | SP+8[0:8] | SP+16[0:8]"},
		{"stack alignment", "amd64", append(repeat(i64, 9), i8, i32, i8, i64),
			"RAX[0:8] | RBX[0:8] | RCX[0:8] | RDI[0:8] | RSI[0:8] | R8[0:8] | R9[0:8] | R10[0:8] | R11[0:8] | SP+8[0:1] | SP+12[0:4] | SP+16[0:1] | SP+24[0:8]"},
		{"floats", "amd64", []*Type{f32, i64, f64, c64, c128}, "X0[0:4] | RAX[0:8] | X1[0:8] | X2[0:4] X3[4:8] | X4[0:8] X5[8:16]"},
		{"16 floats", "amd64", repeat(f64, 16),
			"X0[0:8] | X1[0:8] | X2[0:8] | X3[0:8] | X4[0:8] | X5[0:8] | X6[0:8] | X7[0:8] | X8[0:8] | X9[0:8] | X10[0:8] | X11[0:8] | X12[0:8] | X13[0:8] | X14[0:8] | SP+8[0:8]"},
		{"string bool", "amd64", []*Type{str, BoolType()}, "RAX[0:8] RBX[8:16] | RCX[0:1]"},
		{"money", "amd64", []*Type{money}, "RAX[0:8] RBX[8:12] RCX[16:24] RDI[24:32]"},
		{"slice iface ptr", "amd64", []*Type{SliceType(i64), InterfaceType("error"), PointerTo(money)},
			"RAX[0:8] RBX[8:16] RCX[16:24] | RDI[0:8] RSI[8:16] | R8[0:8]"},
		{"words", "amd64", []*Type{WordType(Map, "map[int]int"), WordType(Chan, "chan int"), WordType(FuncKind, "func()"), WordType(UnsafePointer, "unsafe.Pointer")},
			"RAX[0:8] | RBX[0:8] | RCX[0:8] | RDI[0:8]"},
		{"[1]int field", "amd64", []*Type{StructType("S1", Field{"A", 0, ArrayType(1, i64)}, Field{"B", 0, i64})}, "RAX[0:8] RBX[8:16]"},
		{"[2]int field", "amd64", []*Type{StructType("S2", Field{"A", 0, ArrayType(2, i64)}, Field{"B", 0, i64}), i64}, "SP+8[0:24] | RAX[0:8]"},
		{"[0]int and struct{}", "amd64", []*Type{ArrayType(0, i64), StructType("empty"), i64}, " |  | RAX[0:8]"},
		{"protobuf-like", "amd64", []*Type{protoMsg, i64}, "RAX[0:8] | RBX[0:8]"},
		{"does not fit: whole value on stack", "amd64", append(repeat(i64, 7), money, i64, f64),
			"RAX[0:8] | RBX[0:8] | RCX[0:8] | RDI[0:8] | RSI[0:8] | R8[0:8] | R9[0:8] | SP+8[0:32] | R10[0:8] | X0[0:8]"},
		{"mixed struct", "amd64", []*Type{StructType("P", Field{"X", 0, f64}, Field{"N", 0, i32}, Field{"Y", 0, f32})}, "X0[0:8] RAX[8:12] X1[12:16]"},
		{"unknown arch", "mips", []*Type{i64}, ""},
		// arm64: R0-R15, F0-F15; stack arguments at RSP+8 at entry.
		{"arm64 ints", "arm64", repeat(i64, 17),
			"R0[0:8] | R1[0:8] | R2[0:8] | R3[0:8] | R4[0:8] | R5[0:8] | R6[0:8] | R7[0:8] | R8[0:8] | R9[0:8] | R10[0:8] | R11[0:8] | R12[0:8] | R13[0:8] | R14[0:8] | R15[0:8] | SP+8[0:8]"},
		{"arm64 money string", "arm64", []*Type{money, str, f32, c128}, "R0[0:8] R1[8:12] R2[16:24] R3[24:32] | R4[0:8] R5[8:16] | F0[0:4] | F1[0:8] F2[8:16]"},
		{"arm64 11 ints fit", "arm64", repeat(i64, 11),
			"R0[0:8] | R1[0:8] | R2[0:8] | R3[0:8] | R4[0:8] | R5[0:8] | R6[0:8] | R7[0:8] | R8[0:8] | R9[0:8] | R10[0:8]"},
		{"arm64 does not fit", "arm64", append(repeat(i64, 14), money, u64), strings.Repeat("", 0) +
			"R0[0:8] | R1[0:8] | R2[0:8] | R3[0:8] | R4[0:8] | R5[0:8] | R6[0:8] | R7[0:8] | R8[0:8] | R9[0:8] | R10[0:8] | R11[0:8] | R12[0:8] | R13[0:8] | SP+8[0:32] | R14[0:8]"},
		{"arm64 [2]int", "arm64", []*Type{ArrayType(2, i64), ArrayType(1, f64)}, "SP+8[0:16] | F0[0:8]"},
	} {
		if got := locs(Assign(tc.arch, tc.params)); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}

func TestAssignResults(t *testing.T) {
	for _, tc := range []struct {
		name, arch      string
		params, results []*Type
		wantIn, wantOut string
	}{
		{"results restart at the first registers", "amd64", []*Type{i64, str}, []*Type{f64, i64, InterfaceType("error")},
			"RAX[0:8] | RBX[0:8] RCX[8:16]", "X0[0:8] | RAX[0:8] | RBX[0:8] RCX[8:16]"},
		{"stack results follow stack params", "amd64", append(repeat(i64, 9), i8), repeat(i64, 11),
			"RAX[0:8] | RBX[0:8] | RCX[0:8] | RDI[0:8] | RSI[0:8] | R8[0:8] | R9[0:8] | R10[0:8] | R11[0:8] | SP+8[0:1]",
			"RAX[0:8] | RBX[0:8] | RCX[0:8] | RDI[0:8] | RSI[0:8] | R8[0:8] | R9[0:8] | R10[0:8] | R11[0:8] | SP+16[0:8] | SP+24[0:8]"},
		{"arm64", "arm64", []*Type{money}, []*Type{money, ArrayType(3, i8)},
			"R0[0:8] R1[8:12] R2[16:24] R3[24:32]", "R0[0:8] R1[8:12] R2[16:24] R3[24:32] | SP+8[0:3]"},
	} {
		in, out, ok := AssignFunc(tc.arch, tc.params, tc.results)
		if !ok || locs(in) != tc.wantIn || locs(out) != tc.wantOut {
			t.Errorf("%s:\n got %s ; %s\nwant %s ; %s", tc.name, locs(in), locs(out), tc.wantIn, tc.wantOut)
		}
	}
	in, out, _ := AssignStack("amd64", []*Type{i8, i64, str}, []*Type{i32, i8})
	if got, want := locs(in)+" ; "+locs(out), "SP+8[0:1] | SP+16[0:8] | SP+24[0:16] ; SP+40[0:4] | SP+44[0:1]"; got != want {
		t.Errorf("AssignStack:\n got %s\nwant %s", got, want)
	}
}

func TestLocationFind(t *testing.T) {
	l := Assign("amd64", []*Type{money})[0]
	for _, tc := range []struct {
		off, size int64
		want      string
		ok        bool
	}{
		{0, 8, "RAX", true}, {8, 4, "RBX", true}, {16, 8, "RCX", true}, {24, 8, "RDI", true}, {0, 16, "", false},
	} {
		p, ok := l.Find(tc.off, tc.size)
		if ok != tc.ok || p.Reg != tc.want {
			t.Errorf("Find(%d, %d) = %+v %v, want %s %v", tc.off, tc.size, p, ok, tc.want, tc.ok)
		}
	}
	s := Assign("amd64", append(repeat(i64, 9), money))[9]
	if p, ok := s.Find(16, 8); !ok || p.Reg != "" || p.Stack != 24 {
		t.Errorf("stack Find(CurrencyCode.ptr) = %+v %v, want SP+24", p, ok)
	}
}

func TestPtRegsOffset(t *testing.T) {
	for _, tc := range []struct {
		arch, reg string
		off       int
		ok        bool
	}{
		{"amd64", "RAX", 80, true}, {"amd64", "RBX", 40, true}, {"amd64", "R11", 48, true}, {"amd64", "X0", 0, false},
		{"arm64", "R0", 0, true}, {"arm64", "R15", 120, true}, {"arm64", "F0", 0, false},
	} {
		off, ok := PtRegsOffset(tc.arch, tc.reg)
		if off != tc.off || ok != tc.ok {
			t.Errorf("PtRegsOffset(%s, %s) = %d %v, want %d %v", tc.arch, tc.reg, off, ok, tc.off, tc.ok)
		}
	}
}

func TestRegABIVersions(t *testing.T) {
	for _, tc := range []struct {
		arch, v string
		want    bool
	}{
		{"amd64", "go1.16.15", false}, {"amd64", "go1.17", true}, {"amd64", "go1.26.8", true},
		{"arm64", "go1.17.13", false}, {"arm64", "go1.18rc1", true}, {"arm64", "devel go1.27-abc123 Tue", true},
		{"386", "go1.26", false}, {"amd64", "garbage", false},
	} {
		if got := regABI(tc.arch, tc.v); got != tc.want {
			t.Errorf("regABI(%s, %s) = %v, want %v", tc.arch, tc.v, got, tc.want)
		}
	}
}
