package codegen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cilium/ebpf/asm"
)

// compileAlloc prunes and allocates b's program.
func compileAlloc(t *testing.T, b *Builder) *allocator {
	t.Helper()
	if b.err != nil {
		t.Fatal(b.err)
	}
	insts, err := prune(append([]inst(nil), b.insts...))
	if err != nil {
		t.Fatal(err)
	}
	a, err := allocate(insts, b.nvreg)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestLiveAcrossCallIsCalleeSaved(t *testing.T) {
	b := NewBuilder()
	x, y := b.Const(7), b.Const(8)
	r := b.Call(asm.FnKtimeGetNs)
	b.ALU(asm.Add, r, R(x))
	b.ALU(asm.Add, r, R(y))
	b.Exit(R(r))
	a := compileAlloc(t, b)
	for _, v := range []VReg{x, y} {
		if reg := a.reg[v]; reg < asm.R6 || reg > asm.R9 {
			t.Errorf("%v lives across a call but got %v", v, reg)
		}
	}
	checkSame(t, b)
}

func TestCtxStaysInR6(t *testing.T) {
	b := NewBuilder()
	b.Call(asm.FnKtimeGetNs)
	v := b.NewVReg()
	b.Load(v, b.Ctx(), 8, asm.DWord)
	b.Exit(R(v))
	a := compileAlloc(t, b)
	if a.reg[b.Ctx()] != asm.R6 {
		t.Errorf("ctx in %v, want r6", a.reg[b.Ctx()])
	}
	insns := checkSame(t, b)
	if fmt.Sprint(insns[0]) != "MovReg dst: r6 src: r1" {
		t.Errorf("first instruction %v", insns[0])
	}
}

// Five values live across a call cannot all sit in r6-r9: one is spilled,
// and the program still computes the same result.
func TestCallPressureSpills(t *testing.T) {
	b := NewBuilder()
	var vs []VReg
	for i := range 5 {
		vs = append(vs, b.Const(int64(i+1)*11))
	}
	r := b.Call(asm.FnKtimeGetNs)
	for _, v := range vs {
		b.ALU(asm.Xor, r, R(v))
		b.ALU(asm.Mul, r, Imm(3))
	}
	b.Exit(R(r))
	insns := checkSame(t, b)
	if !usesSpill(insns, 0) {
		t.Errorf("no spill:\n%v", insns)
	}
}

// thirtyLive builds 30 simultaneously live values around helper calls and
// folds them into the result; phases > 1 repeats the pattern, so that slot
// sharing can be checked.
func thirtyLive(phases int) *Builder {
	b := NewBuilder()
	acc := b.Const(0)
	for p := range phases {
		var vs []VReg
		for i := range 30 {
			v := b.Const(int64(p*100 + i*i + 1))
			if i%7 == 0 {
				t := b.Call(asm.FnGetPrandomU32)
				b.ALU(asm.Add, v, R(t))
			}
			vs = append(vs, v)
		}
		for _, v := range vs {
			b.ALU(asm.Mul, acc, Imm(31))
			b.ALU(asm.Add, acc, R(v))
		}
	}
	b.Exit(R(acc))
	return b
}

func TestSpillThirtyLiveValues(t *testing.T) {
	one := checkSame(t, thirtyLive(1))
	if !usesSpill(one, 0) {
		t.Fatal("30 live values did not spill")
	}
	frame := func(insns asm.Instructions) int {
		low := 0
		for _, ins := range insns {
			if ins.OpCode.Class() == asm.StXClass && ins.Dst == asm.R10 {
				low = min(low, int(ins.Offset))
			}
		}
		return -low
	}
	if f := frame(one); f > 8*30 {
		t.Errorf("frame of %d bytes for 30 values", f)
	}
	three := checkSame(t, thirtyLive(3))
	if frame(three) != frame(one) {
		t.Errorf("spill slots not shared between phases: %d bytes for one phase, %d for three", frame(one), frame(three))
	}
}

func TestSpillFrameOverflow(t *testing.T) {
	b := thirtyLive(1)
	b.AllocStack(480, 8)
	_, err := b.Compile()
	if err == nil || !strings.Contains(err.Error(), "exceeds the 512-byte BPF limit") {
		t.Fatalf("got %v", err)
	}
}

// A spilled register that is both used and defined by one instruction
// (two-address ALU, call argument and result) round-trips through its slot.
func TestSpillReadModifyWrite(t *testing.T) {
	b := NewBuilder()
	var vs []VReg
	for i := range 14 {
		vs = append(vs, b.Const(int64(i+2)))
	}
	for i, v := range vs {
		b.ALU(asm.Mul, v, R(vs[(i+1)%len(vs)]))
		r := b.Call(asm.FnMapLookupElem, R(v), R(vs[(i+3)%len(vs)]))
		b.Mov(v, r)
	}
	acc := b.Const(1)
	for _, v := range vs {
		b.ALU(asm.Xor, acc, R(v))
	}
	b.Exit(R(acc))
	checkSame(t, b)
}
