package types

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/parser"
	"github.com/gobpftrace/gobpftrace/symtab"
)

// fakeEnv knows a Go binary ./frontend and a C binary /bin/bash.
func fakeEnv() *MapEnv {
	return &MapEnv{
		Binaries: map[string]*Binary{
			"./frontend": {Path: "./frontend", IsGo: true, Symbols: []symtab.Symbol{
				{Name: "main.IsValid", Addr: 0x49e140, Size: 0x40},
				{Name: "main.main", Addr: 0x49e200, Size: 0x100},
				{Name: "main.(*Cart).Total", Addr: 0x49e300, Size: 0x80},
				{Name: "runtime.goexit.abi0", Addr: 0x401000, Size: 8},
			}, FindReturns: fakeReturns},
			"/bin/bash": {Path: "/bin/bash", Symbols: []symtab.Symbol{
				{Name: "readline", Addr: 0x1000, Size: 0x200},
				{Name: "readline_internal", Addr: 0x1200, Size: 0x100},
				{Name: "main", Addr: 0x2000, Size: 0x100},
			}},
		},
		Exe: map[int]string{42: "./frontend"},
	}
}

// fakeReturns gives the RET addresses of ./frontend's functions; main.main
// has none, as if it ended in a tail call.
func fakeReturns(s symtab.Symbol) ([]uint64, error) {
	rets := map[string][]uint64{
		"main.IsValid":        {0x49e150, 0x49e17f},
		"main.(*Cart).Total":  {0x49e37f},
		"runtime.goexit.abi0": {0x401007},
	}[s.Name]
	if rets == nil {
		return nil, fmt.Errorf("%s: %w: it never returns or ends in a tail call", s.Name, symtab.ErrNoReturn)
	}
	return rets, nil
}

// check parses and checks src as bpftrace's `-e` does (file "stdin") and
// returns the info and the printed errors and warnings.
func check(t testing.TB, src string, conf *Config) (*Info, string, string) {
	t.Helper()
	prog, err := parser.Parse("stdin", src)
	if err != nil {
		var b strings.Builder
		ast.PrintError(&b, src, err)
		t.Fatalf("parse %q:\n%s", src, b.String())
	}
	if conf == nil {
		conf = &Config{}
	}
	if conf.Env == nil {
		conf.Env = fakeEnv()
	}
	info, err := Check(prog, conf)
	var e, w strings.Builder
	ast.PrintError(&e, src, err)
	ast.PrintError(&w, src, info.Warnings)
	return info, e.String(), w.String()
}
