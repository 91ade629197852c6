package main

import (
	"fmt"
	"strings"

	"github.com/gobpftrace/gobpftrace/codegen"
	"github.com/gobpftrace/gobpftrace/runtime"
)

// describeTypes prints what the checker learned: each map's key and value
// types, each probe's targets and scratch variables.
func describeTypes(prog *codegen.Program) string {
	var b strings.Builder
	info := prog.Info
	for _, m := range info.SortedMaps() {
		keys := make([]string, len(m.Keys))
		for i, k := range m.Keys {
			keys[i] = k.String()
		}
		fmt.Fprintf(&b, "map @%s[%s]: %s\n", m.Name, strings.Join(keys, ", "), m.Value)
	}
	for i, p := range info.Probes {
		fmt.Fprintf(&b, "probe %d:\n", i)
		for _, t := range p.Targets {
			fmt.Fprintf(&b, "  target %s\n", t.Name)
		}
		for _, v := range p.Vars {
			fmt.Fprintf(&b, "  var $%s: %s\n", v.Name, v.Type)
		}
	}
	return b.String()
}

// listing prints every program's instructions, with the source line above
// its code, and the maps and events.
func listing(prog *codegen.Program) string {
	var b strings.Builder
	for _, p := range prog.Probes {
		fmt.Fprintf(&b, "program %s (%s, %d instructions):\n%v\n", p.Name, p.Type, len(p.Insns), p.Insns)
	}
	for _, m := range prog.Maps {
		fmt.Fprintf(&b, "map %s: %s key %d value %d max %d\n", m.Name, m.Spec.Type, m.Spec.KeySize, m.Spec.ValueSize, m.Spec.MaxEntries)
	}
	for i, e := range prog.Events {
		fmt.Fprintf(&b, "event %d: kind %d, %d bytes, format %q\n", i, e.Kind, e.Size, e.Format)
	}
	return b.String()
}

// verifySummary prints one line per program the kernel verifier accepted:
// its name, provider, instruction count and the verifier's processed count.
func verifySummary(results []runtime.VerifyResult) string {
	var b strings.Builder
	for _, r := range results {
		fmt.Fprintf(&b, "%s: %s, %d instructions, %d processed by the verifier", r.Name, r.Provider, r.Insns, r.Processed)
		if r.StackDepth != "" {
			fmt.Fprintf(&b, ", stack depth %s", r.StackDepth)
		}
		b.WriteString("\n")
	}
	return b.String()
}
