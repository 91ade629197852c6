package codegen

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/parser"
	"github.com/gobpftrace/gobpftrace/types"
)

// incidentScript is the demo's incident script.
const incidentScript = `uprobe:./frontend:"main.IsValid" { $units = reg("ax"); $nanos = (int32)reg("bx"); printf("time_:%lld units:%d nanos:%d stack:%s\n", nsecs, $units, (int64)$nanos, ustack()); }`

// Compile never panics on checked programs, and is deterministic.
func FuzzCompile(f *testing.F) {
	for _, glob := range []string{"../parser/testdata/scripts/*.bt", "/usr/sbin/*.bt", "testdata/*.txtar"} {
		files, _ := filepath.Glob(glob)
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				s := string(data)
				if strings.HasSuffix(file, ".txtar") {
					_, s, _ = strings.Cut(s, "-- script.bt --\n")
					s, _, _ = strings.Cut(s, "\n-- ")
				}
				f.Add(s)
			}
		}
	}
	f.Add(incidentScript)
	f.Fuzz(func(t *testing.T, src string) {
		prog, err := parser.Parse("fuzz.bt", src)
		if err != nil {
			return
		}
		info, err := types.Check(prog, &types.Config{Env: fakeEnv(), Params: []string{"1", "x"}})
		if err != nil {
			return
		}
		p1, err1 := CompileSource(prog, info, src)
		p2, err2 := CompileSource(prog, info, src)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("errors differ: %v / %v", err1, err2)
		}
		if err1 != nil {
			var l ast.ErrorList
			if !errors.As(err1, &l) || len(l) == 0 {
				t.Fatalf("error is not an ast.ErrorList: %v", err1)
			}
			for _, e := range l {
				if strings.Contains(e.Msg, "internal compiler error") {
					t.Fatalf("%s\n%s", e.Msg, src)
				}
			}
			return
		}
		for i := range p1.Probes {
			if p1.Probes[i].Insns.String() != p2.Probes[i].Insns.String() {
				t.Fatalf("program %s differs between runs", p1.Probes[i].Name)
			}
		}
	})
}

func BenchmarkCompile(b *testing.B) {
	prog, err := parser.Parse("script.bt", incidentScript)
	if err != nil {
		b.Fatal(err)
	}
	info, err := types.Check(prog, &types.Config{Env: fakeEnv()})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CompileSource(prog, info, incidentScript); err != nil {
			b.Fatal(err)
		}
	}
}

// Errors carry the span of what caused them.
func TestCompileErrors(t *testing.T) {
	var vars strings.Builder
	for i := range 8 {
		vars.WriteString("$s" + string(rune('a'+i)) + " = str(arg0); ")
	}
	for _, tc := range []struct{ src, want string }{
		{"uprobe:/bin/bash:readline { " + vars.String() + "}",
			"script.bt:1:148-151: ERROR: the variable $sh (64 bytes) does not fit in the 512-byte BPF stack"},
		{`BEGIN { @l = lhist(1, 0, 10, 1); @l = lhist(1, 0, 20, 1); }`, "script.bt:1:39-57: ERROR: Different lhist bounds in a single map unsupported"},
	} {
		_, err := tryCompile(tc.src)
		var l ast.ErrorList
		if !errors.As(err, &l) || len(l) == 0 {
			t.Errorf("%s: error %v, want an ast.ErrorList", tc.src, err)
			continue
		}
		if got := l[0].Error(); got != tc.want {
			t.Errorf("%s:\ngot  %s\nwant %s", tc.src, got, tc.want)
		}
	}
}

// Stacks as map keys are stack ids in a stack trace map per kind and
// frame limit.
func TestStackKeyMaps(t *testing.T) {
	prog, err := tryCompile(`uprobe:/bin/bash:readline { @a[ustack] = count(); @b[1, kstack(5)] = count(); @c[ustack(5)] = count(); }`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range prog.Maps {
		if m.Role == RoleStack {
			got = append(got, fmt.Sprintf("%s %s %d", m.Name, m.Spec.Type, m.Spec.ValueSize))
		}
	}
	want := []string{"stk_k5 StackTrace 40", "stk_u127 StackTrace 1016", "stk_u5 StackTrace 40"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("stack maps %q, want %q", got, want)
	}
}
