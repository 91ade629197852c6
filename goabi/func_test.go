package goabi

import (
	"debug/elf"
	"errors"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func openSigs(t *testing.T) *Binary {
	t.Helper()
	if runtime.GOARCH != "amd64" {
		t.Skip("the expectations below are for amd64")
	}
	path, _ := sigs(t)
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func TestOpen(t *testing.T) {
	b := openSigs(t)
	if b.GoVersion != runtime.Version() || b.Arch != runtime.GOARCH || !b.RegABI {
		t.Errorf("Open: version %q arch %q regabi %v, want %q %q true", b.GoVersion, b.Arch, b.RegABI, runtime.Version(), runtime.GOARCH)
	}
	if _, err := Open("/bin/sh"); !errors.Is(err, ErrNotGo) {
		t.Errorf("Open(/bin/sh) = %v, want ErrNotGo", err)
	}
}

// TestFuncSignatures checks types and locations of the test program's
// functions against hand-written expectations.
func TestFuncSignatures(t *testing.T) {
	b := openSigs(t)
	for _, tc := range []struct {
		fn   string
		want []string // "name type location", params then results
	}{
		{"main.ints", []string{"a int8 RAX[0:1]", "b int16 RBX[0:2]", "c int32 RCX[0:4]", "d int64 RDI[0:8]",
			"e uint8 RSI[0:1]", "f uint16 R8[0:2]", "g uint32 R9[0:4]", "h uint64 R10[0:8]", "i uintptr R11[0:8]"}},
		{"main.eleven", []string{"a int RAX[0:8]", "b int RBX[0:8]", "c int RCX[0:8]", "d int RDI[0:8]", "e int RSI[0:8]",
			"f int R8[0:8]", "g int R9[0:8]", "h int R10[0:8]", "i int R11[0:8]", "j int SP+8[0:8]", "k int SP+16[0:8]"}},
		{"main.floats", []string{"a float32 X0[0:4]", "b float64 X1[0:8]", "c bool RAX[0:1]", "d int RBX[0:8]"}},
		{"main.str", []string{"s string RAX[0:8] RBX[8:16]", "b bool RCX[0:1]"}},
		{"main.money", []string{"m main.Money RAX[0:8] RBX[8:12] RCX[16:24] RDI[24:32]"}},
		{"main.ptr", []string{"p *main.Money RAX[0:8]", "s []int RBX[0:8] RCX[8:16] RDI[16:24]"}},
		{"main.iface", []string{"e error RAX[0:8] RBX[8:16]", "x interface {} RCX[0:8] RDI[8:16]"}},
		{"main.Money.Value", []string{"m main.Money RAX[0:8] RBX[8:12] RCX[16:24] RDI[24:32]", "~r0 int64 RAX[0:8]"}},
		{"main.(*Money).Add", []string{"m *main.Money RAX[0:8]", "n int64 RBX[0:8]"}},
		{"main.arr1", []string{"s main.S1 RAX[0:8] RBX[8:16]"}},
		{"main.arr2", []string{"s main.S2 SP+8[0:24]", "x int RAX[0:8]"}},
		{"main.zsized", []string{"m main.Msg RAX[0:8] RBX[8:16] RCX[16:24]", "y int RDI[0:8]"}},
		{"main.mixed", []string{"a int RAX[0:8]", "f float64 X0[0:8]", "b int32 RBX[0:4]", "g float32 X1[0:4]",
			"s string RCX[0:8] RDI[8:16]", "c complex128 X2[0:8] X3[8:16]"}},
		{"main.big", []string{"a int RAX[0:8]", "b int RBX[0:8]", "c int RCX[0:8]", "d int RDI[0:8]", "e int RSI[0:8]",
			"f int R8[0:8]", "g int R9[0:8]", "m main.Money SP+8[0:32]", "h int R10[0:8]"}},
		{"main.multi", []string{"a int RAX[0:8]", "n int RAX[0:8]", "f float64 X0[0:8]",
			"s string RBX[0:8] RCX[8:16]", "err error RDI[0:8] RSI[8:16]"}},
		{"main.many", []string{"a int RAX[0:8]", "~r0 int RAX[0:8]", "~r1 int RBX[0:8]", "~r2 int RCX[0:8]",
			"~r3 int RDI[0:8]", "~r4 int RSI[0:8]", "~r5 int R8[0:8]", "~r6 int R9[0:8]", "~r7 int R10[0:8]",
			"~r8 int R11[0:8]", "~r9 int SP+8[0:8]", "~r10 int SP+16[0:8]"}},
	} {
		f, err := b.Func(tc.fn)
		if err != nil {
			t.Errorf("Func(%s): %v", tc.fn, err)
			continue
		}
		var got []string
		for _, p := range append(append([]*Param{}, f.Params...), f.Results...) {
			got = append(got, p.Name+" "+p.Type.String()+" "+p.Loc.String())
		}
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("Func(%s):\n got %q\nwant %q", tc.fn, got, tc.want)
		}
	}
}

// TestFuncTypes checks the type model read from DWARF.
func TestFuncTypes(t *testing.T) {
	b := openSigs(t)
	f, err := b.Func("main.money")
	if err != nil {
		t.Fatal(err)
	}
	m := f.Params[0].Type
	var fields []string
	for _, fl := range m.Fields {
		fields = append(fields, fl.Name+":"+fl.Type.Kind.String()+":"+itoa(fl.Offset)+":"+itoa(fl.Type.Size))
	}
	if got, want := strings.Join(fields, " "), "Units:int:0:8 Nanos:int:8:4 CurrencyCode:string:16:16"; got != want || m.Kind != Struct || m.Size != 32 || m.Align != 8 {
		t.Errorf("main.Money = %v size %d align %d fields %s, want struct 32 8 %s", m.Kind, m.Size, m.Align, got, want)
	}
	// args.m.Units: the piece holding the field.
	if p, ok := f.Params[0].Loc.Find(8, 4); !ok || p.Reg != "RBX" {
		t.Errorf("Find(Nanos) = %+v %v, want RBX", p, ok)
	}
	kinds := map[string]Kind{"main.ptr": Pointer, "main.iface": Interface, "main.str": String, "main.arr2": Struct}
	for fn, k := range kinds {
		f, err := b.Func(fn)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Params[0].Type.Kind; got != k {
			t.Errorf("%s: first parameter kind %v, want %v", fn, got, k)
		}
	}
	f, _ = b.Func("main.ptr")
	if e := f.Params[0].Type.Elem; e == nil || e.Name != "main.Money" || len(e.Fields) != 3 {
		t.Errorf("*main.Money elem = %+v", e)
	}
	if s := f.Params[1].Type; s.Elem == nil || s.Elem.Kind != Int {
		t.Errorf("[]int elem = %+v", s.Elem)
	}
	f, _ = b.Func("main.arr2")
	if a := f.Params[0].Type.Fields[0].Type; a.Kind != Array || a.Len != 2 || a.Elem.Kind != Int {
		t.Errorf("[2]int = %+v", a)
	}
	f, _ = b.Func("main.zsized")
	if fl := f.Params[0].Type.Fields; len(fl) != 4 || fl[0].Type.Kind != Array || fl[0].Type.Len != 0 || fl[1].Type.Size != 0 {
		t.Errorf("main.Msg fields = %+v", fl)
	}
	if _, err := b.Func("main.nosuch"); err == nil || !strings.Contains(err.Error(), "no function") {
		t.Errorf("Func(main.nosuch) = %v, want a not-found error", err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestGoidOffset(t *testing.T) {
	b := openSigs(t)
	off, err := b.GoidOffset()
	if err != nil {
		t.Fatal(err)
	}
	// Cross-check with a full scan of the DWARF for runtime.g.
	d, _ := b.f.DWARF()
	r := d.Reader()
	want := -1
	for e, _ := r.Next(); e != nil && want < 0; e, _ = r.Next() {
		if e.Val(0x03) == "runtime.g" && e.Children { // DW_AT_name
			for c, _ := r.Next(); c != nil && c.Tag != 0; c, _ = r.Next() {
				if c.Val(0x03) == "goid" {
					want = int(c.Val(0x38).(int64)) // DW_AT_data_member_location
				}
			}
		}
	}
	if off != want || off <= 0 {
		t.Errorf("GoidOffset = %d, want %d (from a full DWARF scan)", off, want)
	}
}

func TestStripped(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("amd64")
	}
	for _, flags := range []string{"-ldflags=-w", "-ldflags=-s -w"} {
		path, _ := buildProg(t, "stripped"+strings.ReplaceAll(flags[9:], " ", ""), sigsSource(t), flags)
		b, err := Open(path)
		if err != nil {
			t.Fatalf("%s: Open: %v", flags, err)
		}
		if !b.RegABI || b.GoVersion != runtime.Version() {
			t.Errorf("%s: build info lost: %+v", flags, b)
		}
		_, err = b.Func("main.money")
		if !errors.Is(err, ErrNoDWARF) || !strings.Contains(err.Error(), "-w") {
			t.Errorf("%s: Func = %v, want ErrNoDWARF mentioning -w", flags, err)
		}
		if _, err := b.GoidOffset(); !errors.Is(err, ErrNoDWARF) {
			t.Errorf("%s: GoidOffset = %v, want ErrNoDWARF", flags, err)
		}
		b.Close()
	}
}

// TestFuncAt: given the address and size symtab found, FuncAt describes a
// function exactly as Func does after its own symbol lookup, on a fresh
// Binary (nothing cached) so both paths really run.
func TestFuncAt(t *testing.T) {
	path, _ := sigs(t)
	t.Setenv(CacheEnv, "off")
	for _, fn := range []string{"main.money", "main.big", "main.(*Money).Add"} {
		byName, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		want, err := byName.Func(fn)
		byName.Close()
		if err != nil {
			t.Fatal(err)
		}
		fresh, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		got, err := fresh.FuncAt(fn, want.Entry, want.Size)
		if err != nil {
			t.Fatalf("FuncAt(%s): %v", fn, err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("FuncAt(%s) differs from Func (-Func +FuncAt):\n%s", fn, d)
		}
		if _, err := fresh.FuncAt(fn+"x", want.Entry+1, 4); err == nil {
			t.Errorf("FuncAt at an address inside %s found a function", fn)
		}
		fresh.Close()
	}
}

// TestFuncEveryFunction describes every function of a Go program: each
// one with a DWARF subprogram must resolve, including concrete instances
// of functions also inlined elsewhere, whose parameters name only their
// abstract origin. Assembly functions and linker markers (no subprogram
// or no unit) are the only failures allowed.
func TestFuncEveryFunction(t *testing.T) {
	path, _ := sigs(t)
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	syms, err := f.Symbols()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	described, failed := 0, 0
	for _, s := range syms {
		if elf.ST_TYPE(s.Info) != elf.STT_FUNC || s.Value == 0 || s.Size == 0 || strings.HasSuffix(s.Name, ".abi0") {
			continue
		}
		fn, err := b.Func(s.Name)
		switch {
		case err == nil:
			described++
			for _, p := range append(fn.Params, fn.Results...) {
				if p.Type == nil {
					t.Errorf("%s: %s has no type", s.Name, p.Name)
				}
			}
		case strings.Contains(err.Error(), "no DWARF subprogram"), strings.Contains(err.Error(), "no DWARF compile unit"):
			failed++ // assembly, linker markers
		default:
			t.Errorf("%s: %v", s.Name, err)
		}
	}
	if described < 1000 || failed > described/10 {
		t.Errorf("%d functions described, %d without a subprogram", described, failed)
	}
	t.Logf("%d functions described, %d without a subprogram", described, failed)
}
