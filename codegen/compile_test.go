package codegen

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/internal/txtar"
	"github.com/gobpftrace/gobpftrace/parser"
	"github.com/gobpftrace/gobpftrace/symtab"
	"github.com/gobpftrace/gobpftrace/types"
)

// fakeEnv knows a Go binary ./frontend (the incident's) and /bin/bash.
func fakeEnv() *types.MapEnv {
	return &types.MapEnv{
		Binaries: map[string]*types.Binary{
			"./frontend": {Path: "./frontend", IsGo: true, Symbols: []symtab.Symbol{
				{Name: "main.IsValid", Addr: 0x49e140, Size: 0x40},
				{Name: "main.main", Addr: 0x49e200, Size: 0x100},
				{Name: "main.(*Cart).Total", Addr: 0x49e300, Size: 0x80},
				{Name: "main.Lookup", Addr: 0x49e400, Size: 0x80},
			}, Go: frontendGo(), FindReturns: frontendReturns},
			"/bin/bash": {Path: "/bin/bash", Symbols: []symtab.Symbol{
				{Name: "readline", Addr: 0x1000, Size: 0x200},
				{Name: "readline_internal", Addr: 0x1200, Size: 0x100},
			}},
		},
		TpFormats: tpFormats(),
	}
}

// compileSrc parses, checks and compiles src (file name "script.bt").
func compileSrc(t testing.TB, src string) *Program {
	t.Helper()
	p, err := tryCompile(src)
	if err != nil {
		var b strings.Builder
		ast.PrintError(&b, src, err)
		t.Fatalf("compile %q:\n%s", src, b.String())
	}
	return p
}

func tryCompile(src string) (*Program, error) {
	prog, err := parser.Parse("script.bt", src)
	if err != nil {
		return nil, err
	}
	info, err := types.Check(prog, &types.Config{Env: fakeEnv()})
	if err != nil {
		return nil, err
	}
	return CompileSource(prog, info, src)
}

// dumpMaps lists the maps one per line.
func dumpMaps(p *Program) string {
	var b strings.Builder
	for _, m := range p.Maps {
		s := m.Spec
		fmt.Fprintf(&b, "%s %v key=%d value=%d max=%d", m.Name, s.Type, s.KeySize, s.ValueSize, s.MaxEntries)
		if m.User != nil {
			keys := make([]string, len(m.User.Keys))
			for i, k := range m.User.Keys {
				keys[i] = k.String()
			}
			fmt.Fprintf(&b, " @%s[%s] %s", m.User.Name, strings.Join(keys, ","), m.User.Value)
		}
		b.WriteString("\n")
	}
	return b.String()
}

var kindNames = map[EventKind]string{
	EventPrintf: "printf", EventPrint: "print", EventExit: "exit", EventClear: "clear", EventZero: "zero",
}

// dumpEvents lists the event table: id, kind, format, size, emitting
// program, then each argument as offset:type/size.
func dumpEvents(p *Program) string {
	var b strings.Builder
	for i, e := range p.Events {
		fmt.Fprintf(&b, "%d %s", i, kindNames[e.Kind])
		if e.Format != "" {
			fmt.Fprintf(&b, " %s", strconv.Quote(e.Format))
		}
		if e.Map != "" {
			fmt.Fprintf(&b, " @%s", e.Map)
		}
		fmt.Fprintf(&b, " size=%d probe=%s", e.Size, p.Probes[e.Probe].Name)
		for _, a := range e.Args {
			fmt.Fprintf(&b, " %d:%s/%d", a.Offset, a.Type, a.Size)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// dumpProgram renders everything a golden file compares.
func dumpProgram(p *Program) map[string]string {
	out := map[string]string{"maps": dumpMaps(p), "events": dumpEvents(p)}
	for _, pr := range p.Probes {
		var b strings.Builder
		fmt.Fprintf(&b, "type=%v attach=%v license=%s targets=", pr.Type, pr.AttachType, pr.License)
		for i, t := range pr.Targets {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(t.Name)
		}
		fmt.Fprintf(&b, "\n%v", pr.Insns)
		out[pr.Name] = b.String()
	}
	return out
}

// TestGolden compiles the script of each testdata archive and compares
// the listings, maps and events (go test ./codegen -update rewrites them).
func TestGolden(t *testing.T) {
	forEachGolden(t, func(t *testing.T, path string, a *txtar.Archive, src string) {
		p := compileSrc(t, src)
		got := dumpProgram(p)
		names := []string{}
		for _, pr := range p.Probes {
			names = append(names, pr.Name)
		}
		names = append(names, "maps", "events")
		if *txtar.Update {
			na := &txtar.Archive{Comment: a.Comment}
			na.Set("script.bt", []byte(src))
			for _, n := range names {
				na.Set(n, []byte(got[n]))
			}
			if err := os.WriteFile(path, txtar.Format(na), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		for _, n := range names {
			want, _ := a.Get(n)
			if strings.TrimSpace(string(want)) != strings.TrimSpace(got[n]) {
				t.Errorf("%s: %s differs (go test ./codegen -update):\ngot:\n%s\nwant:\n%s", path, n, got[n], want)
			}
		}
		if len(a.Files) != len(names)+1 {
			t.Errorf("%s has %d sections, want %d (%v)", path, len(a.Files), len(names)+1, names)
		}
	})
}

// forEachGolden runs fn as a subtest for every golden archive of
// testdata (ir_listing.txtar is the IR's own), with its script.
func forEachGolden(t *testing.T, fn func(t *testing.T, path string, a *txtar.Archive, src string)) {
	files, _ := filepath.Glob("testdata/*.txtar")
	if len(files) == 0 {
		t.Fatal("no golden archives in testdata")
	}
	for _, path := range files {
		if filepath.Base(path) == "ir_listing.txtar" {
			continue
		}
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			a, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			src, ok := a.Get("script.bt")
			if !ok {
				t.Fatalf("%s has no script.bt", path)
			}
			fn(t, path, a, string(src))
		})
	}
}
