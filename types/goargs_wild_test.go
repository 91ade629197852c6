package types

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/gobpftrace/gobpftrace/goabi"
	"github.com/gobpftrace/gobpftrace/symtab"
)

// wildEnv is ./srv with three functions: main.(*S).A(s *S, x int),
// main.(*S).B(s *S, y string) and main.f(x string).
func wildEnv() *MapEnv {
	s := goabi.PointerTo(goabi.StructType("main.S", goabi.Field{Name: "N", Type: goabi.IntType(8)}))
	fn := func(name string, names []string, types ...*goabi.Type) *goabi.Func {
		var res []*goabi.Type
		if name == "main.f" {
			res = []*goabi.Type{goabi.StringType()}
		} else {
			res = []*goabi.Type{goabi.IntType(8), goabi.InterfaceType("error")}
		}
		in, out, _ := goabi.AssignFunc("amd64", types, res)
		f := &goabi.Func{Name: name}
		for i, n := range names {
			f.Params = append(f.Params, &goabi.Param{Name: n, Type: types[i], Loc: in[i]})
		}
		for i, r := range res {
			f.Results = append(f.Results, &goabi.Param{Name: fmt.Sprintf("~r%d", i), Type: r, Loc: out[i]})
		}
		return f
	}
	env := fakeEnv()
	env.Binaries["./srv"] = &Binary{Path: "./srv", IsGo: true, Symbols: []symtab.Symbol{
		{Name: "main.(*S).A", Addr: 0x1000, Size: 0x40},
		{Name: "main.(*S).B", Addr: 0x1040, Size: 0x40},
		{Name: "main.f", Addr: 0x1080, Size: 0x40},
	}, FindReturns: func(symtab.Symbol) ([]uint64, error) { return []uint64{0x1010}, nil }, Go: &StaticGo{Funcs: map[string]*goabi.Func{
		"main.(*S).A": fn("main.(*S).A", []string{"s", "x"}, s, goabi.IntType(8)),
		"main.(*S).B": fn("main.(*S).B", []string{"s", "y"}, s, goabi.StringType()),
		"main.f":      fn("main.f", []string{"x"}, goabi.StringType()),
	}}}
	return env
}

// TestGoArgsWildcard: a probe on several Go functions reads a parameter
// (or, at return probes, a result) they all have at the same place with
// the same type (the receiver of methods matched by a wildcard); one that
// some lack, or that differs, is an error naming the functions.
func TestGoArgsWildcard(t *testing.T) {
	for _, c := range []struct{ src, err string }{
		{`uprobe:./srv:"main.(*S).*" { printf("%d\n", args.s->N); }`, ""},
		{`uprobe:./srv:"main.(*S).A", uprobe:./srv:"main.(*S).B" { print(args.s); }`, ""},
		{`uprobe:./srv:"main.(*S).*" { printf("%d\n", args.x); }`,
			"ERROR: parameter 'x' is not in every function this probe attaches to (main.(*S).B has none; main.(*S).A has it)"},
		{`uprobe:./srv:"main.(*S).A", uprobe:./srv:main.f { print(args.x); }`,
			"ERROR: parameter 'x' differs between the functions this probe attaches to (main.(*S).A: int64 at RBX[0:8]; main.f: string at RAX[0:8] RBX[8:16])"},
		{`ur:./srv:"main.(*S).*" /rets.1.tab != 0/ { @failed[probe] = count(); @n = sum(rets.0); }`, ""},
		{`ur:./srv:"main.(*S).A", ur:./srv:main.f { print(rets.0); }`,
			"ERROR: rets.0 differs between the functions this probe attaches to (main.(*S).A: int64 at RAX[0:8]; main.f: string at RAX[0:8] RBX[8:16])"},
		{`ur:./srv:"main.(*S).A", ur:./srv:main.f { print(rets.1); }`,
			"ERROR: rets.1 is not a result of every function this probe attaches to: main.f has 1 results: rets.1 is out of range (rets.0 to rets.0)"},
	} {
		_, errs, _ := check(t, c.src, &Config{Env: wildEnv()})
		if c.err == "" && errs != "" {
			t.Errorf("%s:\n%s", c.src, errs)
		}
		if c.err != "" && !strings.Contains(errs, c.err) {
			t.Errorf("%s: got\n%s\nwant %s", c.src, errs, c.err)
		}
	}
}

// TestPrintArgsRoot: print(args) and print(rets) print every parameter or
// result as the fields of one struct; over functions whose parameters
// differ it is an error.
func TestPrintArgsRoot(t *testing.T) {
	info, errs, _ := check(t, `uprobe:./srv:"main.(*S).A" { print(args); } ur:./srv:"main.(*S).B" { printf("%s\n", rets); }`, &Config{Env: wildEnv()})
	if errs != "" {
		t.Fatal(errs)
	}
	var got []string
	for _, c := range info.GoComposites {
		got = append(got, c.Shape.String())
	}
	slices.Sort(got)
	if want := []string{"{s:#0 x:#1}", "{~r0:#0 ~r1:{tab:#1 data:#2}}"}; !slices.Equal(got, want) {
		t.Errorf("shapes %q, want %q", got, want)
	}
	_, errs, _ = check(t, `uprobe:./srv:"main.(*S).*" { print(args); }`, &Config{Env: wildEnv()})
	if want := "ERROR: cannot print all of them: the functions this probe attaches to differ (main.(*S).A, main.(*S).B); print one by name"; !strings.Contains(errs, want) {
		t.Errorf("got\n%s\nwant %s", errs, want)
	}
}
