package types

import (
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
		in, _, _ := goabi.AssignFunc("amd64", types, nil)
		f := &goabi.Func{Name: name}
		for i, n := range names {
			f.Params = append(f.Params, &goabi.Param{Name: n, Type: types[i], Loc: in[i]})
		}
		return f
	}
	env := fakeEnv()
	env.Binaries["./srv"] = &Binary{Path: "./srv", IsGo: true, Symbols: []symtab.Symbol{
		{Name: "main.(*S).A", Addr: 0x1000, Size: 0x40},
		{Name: "main.(*S).B", Addr: 0x1040, Size: 0x40},
		{Name: "main.f", Addr: 0x1080, Size: 0x40},
	}, FindReturns: fakeReturns, Go: &StaticGo{Funcs: map[string]*goabi.Func{
		"main.(*S).A": fn("main.(*S).A", []string{"s", "x"}, s, goabi.IntType(8)),
		"main.(*S).B": fn("main.(*S).B", []string{"s", "y"}, s, goabi.StringType()),
		"main.f":      fn("main.f", []string{"x"}, goabi.StringType()),
	}}}
	return env
}

// TestGoArgsWildcard: a probe on several Go functions reads a parameter
// they all have at the same place with the same type (the receiver of
// methods matched by a wildcard); one that some lack, or that differs,
// is an error naming the functions.
func TestGoArgsWildcard(t *testing.T) {
	for _, c := range []struct{ src, err string }{
		{`uprobe:./srv:"main.(*S).*" { printf("%d\n", args.s->N); }`, ""},
		{`uprobe:./srv:"main.(*S).A", uprobe:./srv:"main.(*S).B" { print(args.s); }`, ""},
		{`uprobe:./srv:"main.(*S).*" { printf("%d\n", args.x); }`,
			"ERROR: parameter 'x' is not in every function this probe attaches to (main.(*S).B has none; main.(*S).A has it)"},
		{`uprobe:./srv:"main.(*S).A", uprobe:./srv:main.f { print(args.x); }`,
			"ERROR: parameter 'x' differs between the functions this probe attaches to (main.(*S).A: int64 at RBX[0:8]; main.f: string at RAX[0:8] RBX[8:16])"},
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
