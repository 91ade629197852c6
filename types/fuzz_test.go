package types

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gobpftrace/gobpftrace/parser"
)

// FuzzCheck parses then checks arbitrary scripts: the checker must return
// an error or an Info, never panic. Seeds are the parser corpus, the
// classic tools and the error table. The environment knows Go functions
// (retsEnv), so that args and rets are checked too.
func FuzzCheck(f *testing.F) {
	var seeds []string
	for _, glob := range []string{"../parser/testdata/scripts/*.bt", "/usr/sbin/*.bt"} {
		paths, _ := filepath.Glob(glob)
		seeds = append(seeds, paths...)
	}
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b))
		}
	}
	f.Add(`uprobe:./frontend:"main.IsValid" { $units = reg("ax"); printf("%d\n", $units); }`)
	f.Add(`BEGIN { @x[1, "a"] = count(); delete(@x, (1, "a")); print(@x); }`)
	f.Add(`uretprobe:./frontend:main.IsValid /rets.err.tab != 0/ { @[rets.0, rets.1.len] = count(); }`)
	f.Fuzz(func(t *testing.T, src string) {
		prog, err := parser.Parse("fuzz.bt", src)
		if err != nil || prog == nil {
			return
		}
		info, _ := Check(prog, &Config{Env: retsEnv().Env, PID: 42, Params: []string{"1", "x"}})
		if info == nil {
			t.Fatal("nil Info")
		}
	})
}
