package types

import (
	"strings"
	"testing"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/internal/testenv"
)

// retsProg returns results of the kinds `rets` reads: an unnamed int and
// error, named results with an empty interface, and more integer words
// than the nine registers hold, so that the last results are on the stack.
const retsProg = `package main

import "errors"

type Pair struct{ A, B int }

//go:noinline
func fe(x int) (int, error) {
	if x < 0 {
		return 0, errors.New("negative")
	}
	return x, nil
}

//go:noinline
func named(x int) (n int, v any, ok bool) { return x, x, x > 0 }

//go:noinline
func many(x int) (a, b, c, d, e, f, g, h int, p Pair, s string) {
	return x, x, x, x, x, x, x, x, Pair{x, x}, "s"
}

func main() {
	fe(1)
	named(2)
	many(3)
}
`

// TestGoRetsRealBinary types `rets` against the DWARF and ABI of a
// program the Go toolchain built: an error's words are integers (DWARF
// types its tab as *internal/abi.ITab), an empty interface's first word
// answers to tab and to DWARF's _type, unnamed results are ~r0, ~r1, and
// results past the registers are read from the stack.
func TestGoRetsRealBinary(t *testing.T) {
	bin := testenv.BuildGo(t, retsProg)
	conf := &Config{Env: &HostEnv{}}
	ur := "uretprobe:" + bin + ":"
	prog := ur + `main.fe /rets.1.tab != 0/ { printf("%d %x %x\n", rets.0, rets.1.tab, rets.1.data); }
` + ur + `main.named { printf("%d %d %x %x\n", rets.n, rets.ok, rets.v.tab, rets.1._type); }
` + ur + `main.many { printf("%d %d %d %s %d\n", rets.a, rets.h, rets.p.B, rets.s, rets.s.len); }`
	info, errs, _ := check(t, prog, conf)
	if errs != "" {
		t.Fatalf("%s", errs)
	}
	got := map[string]string{}
	for e, v := range info.GoValues {
		if v.Type == nil {
			continue
		}
		var locs []string
		for _, p := range v.Pieces {
			if p.Reg != "" {
				locs = append(locs, p.Reg)
			} else {
				locs = append(locs, "stack")
			}
		}
		got[ast.FormatNode(e)] = info.TypeOf(e).String() + " " + strings.Join(locs, " ")
	}
	for expr, want := range map[string]string{
		"rets.0": "int64 RAX", "rets.1.tab": "unsigned int64 RBX", "rets.1.data": "unsigned int64 RCX",
		"rets.n": "int64 RAX", "rets.v.tab": "unsigned int64 RBX", "rets.1._type": "unsigned int64 RBX",
		"rets.ok": "unsigned int8 RDI", "rets.a": "int64 RAX", "rets.h": "int64 R10",
		"rets.p.B": "int64 stack", "rets.s": "string[64] stack", "rets.s.len": "int64 stack",
	} {
		if got[expr] != want {
			t.Errorf("%s: %q, want %q", expr, got[expr], want)
		}
	}
	_, errs, _ = check(t, ur+`main.fe { @ = rets.err; }`, conf)
	if !strings.Contains(errs, "main.fe has no result 'err' (results: ~r0, ~r1; rets.0 to rets.1 by position)") {
		t.Errorf("unnamed results:\n%s", errs)
	}
}
