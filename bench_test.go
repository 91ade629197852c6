package gobpftrace_test

import (
	"os"
	"testing"

	"github.com/gobpftrace/gobpftrace"
	"github.com/gobpftrace/gobpftrace/goabi"
	"github.com/gobpftrace/gobpftrace/internal/testenv"
	"github.com/gobpftrace/gobpftrace/symtab"
	"github.com/gobpftrace/gobpftrace/types"
)

const incidentScript = `uprobe:./frontend:"main.IsValid"
{
    $units = reg("ax");
    $nanos = (int32)reg("bx");
    printf("time_:%lld units:%d nanos:%d stack:%s\n", nsecs, $units, (int64)$nanos, ustack());
}
`

// BenchmarkCompile measures the whole pipeline for the incident script:
// parse, check and codegen, with the traced binary's symbols already known
// (as they are after the first compile against a binary).
func BenchmarkCompile(b *testing.B) {
	env := &types.MapEnv{Binaries: map[string]*types.Binary{
		"./frontend": {Path: "./frontend", IsGo: true, Symbols: []symtab.Symbol{
			{Name: "main.IsValid", Addr: 0x49e140, Size: 0x40},
		}},
	}}
	opts := &gobpftrace.CompileOptions{Env: env}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := gobpftrace.Compile("incident.bt", incidentScript, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompileGoArgsLarge compiles a script that reads a Go
// argument's fields (args.c, a *http.Client, at net/http.(*Client).do)
// against a Go binary of over 20 MB, with a fresh host environment each
// time and the DWARF cache off: the symbol lookup, the DWARF of the
// function and its types, type checking and codegen, as the first compile
// against a binary pays them.
func BenchmarkCompileGoArgsLarge(b *testing.B) {
	path := testenv.BuildGo(b, testenv.BigGoSource(30000))
	if fi, err := os.Stat(path); err != nil || fi.Size() < 20<<20 {
		b.Fatalf("test binary: %v, want >= 20 MB", err)
	}
	b.Setenv(goabi.CacheEnv, "off")
	script := `uprobe:` + path + `:"net/http.(*Client).do" { printf("%d %p\n", args.c.Timeout, args.req); }`
	b.ReportAllocs()
	for b.Loop() {
		opts := &gobpftrace.CompileOptions{Env: &types.HostEnv{}}
		if _, err := gobpftrace.Compile("large.bt", script, opts); err != nil {
			b.Fatal(err)
		}
	}
}
