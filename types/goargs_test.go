package types

import (
	"strings"
	"testing"

	"github.com/gobpftrace/gobpftrace/goabi"
)

// goEnv is fakeEnv whose ./frontend describes main.IsValid(m Money) bool.
func goEnv(src *StaticGo) *MapEnv {
	env := fakeEnv()
	env.Binaries["./frontend"].Go = src
	return env
}

func moneyFunc() *goabi.Func {
	money := goabi.StructType("main.Money",
		goabi.Field{Name: "Units", Type: goabi.IntType(8)},
		goabi.Field{Name: "Nanos", Type: goabi.IntType(4)},
		goabi.Field{Name: "CurrencyCode", Type: goabi.StringType()})
	params := []*goabi.Type{money, goabi.PointerTo(money), goabi.SliceType(goabi.IntType(2)), goabi.FloatType(8)}
	in, _, _ := goabi.AssignFunc("amd64", params, []*goabi.Type{goabi.BoolType()})
	f := &goabi.Func{Name: "main.IsValid"}
	for i, n := range []string{"m", "p", "sl", "f"} {
		f.Params = append(f.Params, &goabi.Param{Name: n, Type: params[i], Loc: in[i]})
	}
	return f
}

func TestGoArgsTypes(t *testing.T) {
	src := &StaticGo{Funcs: map[string]*goabi.Func{"main.IsValid": moneyFunc()}, Goid: 152, GoidOK: true}
	prog := `uprobe:./frontend:main.IsValid { @u[goid] = args.m.Units; @n = args.m.Nanos; @c = args.m.CurrencyCode; @s = str(args.m.CurrencyCode);
@pu = args.p->Units; @pc = args.p.CurrencyCode; @l = args.sl.len; @e = args.sl[2]; }`
	info, errs, _ := check(t, prog, &Config{Env: goEnv(src)})
	if errs != "" {
		t.Fatalf("errors:\n%s", errs)
	}
	want := map[string]string{"@u": "int64", "@n": "int64", "@c": "string[64]", "@s": "string[64]",
		"@pu": "int64", "@pc": "string[64]", "@l": "int64", "@e": "int64"}
	for name, w := range want {
		m := info.Maps[name[1:]]
		if m == nil || m.Value.String() != w {
			t.Errorf("%s: got %v, want %s", name, m, w)
		}
	}
	if got := len(info.Goids); got != 1 {
		t.Errorf("%d goid uses recorded, want 1", got)
	}
	// Where the values are: Units in RAX; p->Units in memory at p (RCX
	// after m's 4 registers); sl[2] at sl.array+4.
	for e, v := range info.GoValues {
		if v.Type == nil {
			continue
		}
		switch v.Type.Name {
		case "int32":
			if v.Base != nil || len(v.Pieces) != 1 || v.Pieces[0].Reg != "RBX" || v.Pieces[0].RegOff != 40 {
				t.Errorf("%v: Nanos at %+v", e, v)
			}
		case "int16":
			if v.Base == nil || v.Offset != 4 || v.Base.Pieces[0].Reg != "RDX" && v.Base.Pieces[0].Reg != "R8" {
				t.Errorf("sl[2] at %+v base %+v", v, v.Base)
			}
		}
	}
}

func TestGoArgsErrors(t *testing.T) {
	src := &StaticGo{Funcs: map[string]*goabi.Func{"main.IsValid": moneyFunc()}}
	for _, c := range []struct{ prog, want string }{
		{`uprobe:./frontend:main.IsValid { @x = args.nope; }`, "main.IsValid has no parameter 'nope' (parameters: m, p, sl, f)"},
		{`uprobe:./frontend:main.IsValid { @x = args.m.Nope; }`, "Go type main.Money has no field 'Nope'"},
		{`uprobe:./frontend:main.IsValid { @x = args.f; }`, "cannot read this float64 value: Go passes it in register X0, which uprobes do not see (X registers are not in pt_regs, so reg() cannot read it either)"},
		{`uretprobe:./frontend:main.IsValid { @x = args.m.Units; }`, "args is not available in uretprobe probes"},
		{`uprobe:/bin/bash:readline { @x = args.m; }`, "(/bin/bash is not a Go program)"},
		{`uprobe:/bin/bash:readline { @x = goid; }`, "goid can only be used in uprobes on Go programs"},
		{`uprobe:./frontend:main.IsValid { @x = goid; }`, "no runtime.g in DWARF"},
		{`uprobe:./frontend:main.IsValid+4 { @x = args.m.Units; }`, "args is only available at the entry of a Go function"},
	} {
		_, errs, _ := check(t, c.prog, &Config{Env: goEnv(src)})
		if !strings.Contains(errs, c.want) {
			t.Errorf("%s:\ngot  %s\nwant %q", c.prog, errs, c.want)
		}
	}
	stripped := &StaticGo{Err: goabi.ErrNoDWARF}
	_, errs, _ := check(t, `uprobe:./frontend:main.IsValid { @x = args.m.Units; }`, &Config{Env: goEnv(stripped)})
	want := "stdin:1:39-43: ERROR: ./frontend has no DWARF debug info (was it built with -ldflags=-w?): Go arguments, results and goid need it; reg(\"ax\") and friends still work"
	if !strings.HasPrefix(errs, want) {
		t.Errorf("stripped:\ngot  %s\nwant %s", errs, want)
	}
	oldABI := &StaticGo{NoReg: true, Goid: 152, GoidOK: true}
	_, errs, _ = check(t, `uprobe:./frontend:main.IsValid { @x = goid; }`, &Config{Env: goEnv(oldABI)})
	if !strings.Contains(errs, "goid needs Go's register ABI") {
		t.Errorf("old ABI: %s", errs)
	}
}
