package gobpftrace_test

import (
	"testing"

	"github.com/gobpftrace/gobpftrace"
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
