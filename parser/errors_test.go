package parser

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/internal/txtar"
)

// printed parses src as bpftrace -e does (file "stdin") and returns the
// error output.
func printed(name, src string) string {
	_, err := Parse(name, src)
	var b strings.Builder
	ast.PrintError(&b, src, err)
	return b.String()
}

// TestErrorCorpus checks every case of testdata/errors/*.txtar: a CASE.err
// section is bpftrace 0.17's exact output; other cases must only fail
// cleanly (no panic, a valid error list).
func TestErrorCorpus(t *testing.T) {
	files, _ := filepath.Glob("testdata/errors/*.txtar")
	if len(files) == 0 {
		t.Fatal("no error corpus in testdata/errors")
	}
	for _, f := range files {
		a, err := txtar.ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, file := range a.Files {
			if !strings.HasSuffix(file.Name, ".bt") {
				continue
			}
			name := strings.TrimSuffix(file.Name, ".bt")
			src := string(file.Data)
			if strings.HasSuffix(name, "_nonl") {
				src = strings.TrimSuffix(src, "\n")
			}
			t.Run(strings.TrimSuffix(filepath.Base(f), ".txtar")+"/"+name, func(t *testing.T) {
				checkInvariants(t, src)
				want, ok := a.Get(name + ".err")
				if !ok {
					return
				}
				if why := laterPass(filepath.Base(f), name); why != "" {
					// bpftrace 0.17 rejects these after parsing; the
					// parser must accept them and leave them to types.
					if _, err := Parse("stdin", src); err != nil {
						t.Errorf("%s, but the parser rejects it:\n%s", why, printed("stdin", src))
					}
					return
				}
				if d := cmp.Diff(string(want), printed("stdin", src)); d != "" {
					t.Errorf("script:\n%s\nerror output differs (-bpftrace +ours):\n%s", src, d)
				}
			})
		}
	}
}

// checkInvariants asserts what holds for any input: no panic, and either a
// program or an ast.ErrorList of 1..MaxErrors errors with valid spans.
func checkInvariants(t *testing.T, src string) {
	t.Helper()
	prog, err := Parse("fuzz.bt", src)
	if err == nil {
		if prog == nil {
			t.Fatal("nil program without error")
		}
		return
	}
	list, ok := err.(ast.ErrorList)
	if !ok {
		t.Fatalf("error is %T, want ast.ErrorList", err)
	}
	if len(list) < 1 || len(list) > ast.MaxErrors {
		t.Fatalf("%d errors", len(list))
	}
	for _, e := range list {
		s := e.Span
		if !s.Lead.IsValid() {
			if src == "" {
				continue
			}
			t.Fatalf("error without position: %v", e)
		}
		if s.End.Offset < s.Lead.Offset || s.End.Offset > len(src)+1 {
			t.Fatalf("bad span %+v for %v", s, e)
		}
	}
}

// laterPass names the corpus cases whose bpftrace 0.17 error comes from a
// pass after parsing (attach point parsing, function lookup); the parser
// only has to accept them.
func laterPass(file, name string) string {
	if file == "attachpoints017.txtar" {
		return "attach point arguments are checked by the types pass"
	}
	if name == "unknown_function" || name == "builtin_called" {
		return "function names are resolved by the types pass"
	}
	return ""
}
