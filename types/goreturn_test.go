package types

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gobpftrace/gobpftrace/parser"
	"github.com/gobpftrace/gobpftrace/symtab"
)

// ignoreAP leaves the attach point out of target comparisons.
var ignoreAP = cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".AttachPoint" }, cmp.Ignore())

// TestGoUretprobe: a uretprobe on a Go function is accepted; its target
// keeps the uretprobe provider and name (retval stays valid, probe prints
// it) and carries the function's RET addresses.
func TestGoUretprobe(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want []*Target
	}{
		{`uretprobe:./frontend:main.IsValid { @ = retval; @p[probe] = count(); }`, []*Target{{
			Provider: "uretprobe", Name: "uretprobe:./frontend:main.IsValid", Binary: "./frontend", IsGo: true,
			Symbol: "main.IsValid", Address: 0x49e140, Returns: []uint64{0x49e150, 0x49e17f}}}},
		{`ur:./frontend:"main.(*Cart).Total" { @ = retval; }`, []*Target{{
			Provider: "uretprobe", Name: "uretprobe:./frontend:main.(*Cart).Total", Binary: "./frontend", IsGo: true,
			Symbol: "main.(*Cart).Total", Address: 0x49e300, Returns: []uint64{0x49e37f}}}},
		{`ur:./frontend:0x49e140 { @ = retval; }`, []*Target{{
			Provider: "uretprobe", Name: "uretprobe:./frontend:0x49e140", Binary: "./frontend", IsGo: true,
			Address: 0x49e140, Returns: []uint64{0x49e150, 0x49e17f}}}},
		// A C binary keeps a kernel uretprobe: no RET addresses.
		{`uretprobe:/bin/bash:readline { @ = retval; }`, []*Target{{
			Provider: "uretprobe", Name: "uretprobe:/bin/bash:readline", Binary: "/bin/bash",
			Symbol: "readline", Address: 0x1000}}},
	} {
		info, errs, warns := check(t, tc.src, nil)
		if errs != "" || warns != "" {
			t.Errorf("%s:\n%s%s", tc.src, errs, warns)
			continue
		}
		if d := cmp.Diff(tc.want, info.Probes[0].Targets, ignoreAP); d != "" {
			t.Errorf("%s: targets (-want +got):\n%s", tc.src, d)
		}
	}
}

// TestGoUretprobeWildcard: functions without a RET are skipped with a
// warning; the others get their RETs.
func TestGoUretprobeWildcard(t *testing.T) {
	info, errs, warns := check(t, `ur:./frontend:main.* { @[probe] = count(); }`, nil)
	if errs != "" {
		t.Fatal(errs)
	}
	const warn = "stdin:1:1-21: WARNING: 1 of the 3 functions matching 'main.*' get no return probe (first: main.main: no RET instruction: it never returns or ends in a tail call)"
	if first, _, _ := strings.Cut(warns, "\n"); first != warn {
		t.Errorf("warnings:\n%s\nwant %s", warns, warn)
	}
	var got []string
	for _, tg := range info.Probes[0].Targets {
		if len(tg.Returns) == 0 {
			t.Errorf("%s has no RET addresses", tg.Name)
		}
		got = append(got, tg.Symbol)
	}
	if want := []string{"main.(*Cart).Total", "main.IsValid"}; !slices.Equal(got, want) {
		t.Errorf("targets %v, want %v", got, want)
	}
}

// TestGoUretprobeNoDecoder: an environment that cannot find RETs refuses
// Go return probes instead of falling back to a kernel uretprobe.
func TestGoUretprobeNoDecoder(t *testing.T) {
	env := fakeEnv()
	env.Binaries["./frontend"].FindReturns = nil
	_, errs, _ := check(t, `uretprobe:./frontend:main.IsValid { }`, &Config{Env: env})
	const want = "stdin:1:1-34: ERROR: cannot place return probes in ./frontend: ./frontend: cannot find the return instructions of main.IsValid"
	if first, _, _ := strings.Cut(errs, "\n"); first != want {
		t.Errorf("got %s\nwant %s", errs, want)
	}
}

// TestGoUretprobeHost checks a real Go binary through HostEnv: the target's
// RET addresses are the ones symtab decodes.
func TestGoUretprobeHost(t *testing.T) {
	dir := t.TempDir()
	src := "package main\n\n//go:noinline\nfunc f(x int) int {\n\tif x > 2 {\n\t\treturn 7\n\t}\n\treturn x\n}\n\nfunc main() { println(f(3)) }\n"
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module prog\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "build", "-o", "prog", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOARCH=amd64")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	bin := filepath.Join(dir, "prog")
	prog, err := parser.Parse("stdin", `uretprobe:`+bin+`:main.f { @ = retval; }`)
	if err != nil {
		t.Fatal(err)
	}
	info, err := Check(prog, &Config{})
	if err != nil {
		t.Fatal(err)
	}
	tab, err := symtab.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := tab.Lookup("main.f")
	want, err := tab.Returns(s)
	if err != nil {
		t.Fatal(err)
	}
	tg := info.Probes[0].Targets[0]
	if !tg.IsGo || tg.Provider != "uretprobe" || len(want) < 2 || !slices.Equal(tg.Returns, want) {
		t.Errorf("target %+v; want uretprobe with RETs %#x", tg, want)
	}
}
