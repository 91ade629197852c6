package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/gobpftrace/gobpftrace"
	"github.com/gobpftrace/gobpftrace/ast"
)

// listProbes prints the uprobes a pattern such as `uprobe:BIN:main.*`
// matches, one per line, as bpftrace -l does. With verbose (-lv) each Go
// function's parameters follow, indented four spaces, as `TYPE NAME` with
// Go type names (`int64 x`, `main.Money m`, `[]int sl`), then its results
// as `ret TYPE NAME` (`ret int ~r0`, `ret error err`): what `rets` reads at
// its return probes, by name or by position (rets.0, rets.1, ...). No Go
// type is spelt `ret`, so the prefix cannot be mistaken for a parameter's
// type.
func listProbes(args []string, pid int, verbose bool, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintf(stderr, "ERROR: -l needs one probe pattern, e.g. 'uprobe:/path/to/bin:main.*'\n")
		return 1
	}
	pattern := args[0]
	provider, _, _ := strings.Cut(pattern, ":")
	switch provider {
	case "uprobe", "uretprobe", "u", "ur":
	default:
		fmt.Fprintf(stderr, "ERROR: listing %s probes is not supported yet (only uprobe:BIN:PATTERN)\n", provider)
		return 1
	}
	if strings.Count(pattern, ":") == 1 && !strings.HasSuffix(pattern, ":") {
		pattern += ":*" // uprobe:BIN lists every function
	}
	// The checker expands the pattern exactly as an attach point: compile
	// an empty probe and read its targets.
	src := pattern + " { }"
	prog, err := gobpftrace.Compile("stdin", src, &gobpftrace.CompileOptions{PID: pid})
	if err != nil {
		ast.PrintError(stderr, src, err)
		return 1
	}
	for _, pi := range prog.Info.Probes {
		for _, t := range pi.Targets {
			fmt.Fprintln(stdout, t.Name)
			if !verbose || !t.IsGo || t.Symbol == "" {
				continue
			}
			f, err := t.GoFunc()
			if err != nil {
				fmt.Fprintf(stderr, "WARNING: %s: %v\n", t.Symbol, err)
				continue
			}
			for _, p := range f.Params {
				fmt.Fprintf(stdout, "    %s %s\n", p.Type, p.Name)
			}
			for _, r := range f.Results {
				fmt.Fprintf(stdout, "    ret %s %s\n", r.Type, r.Name)
			}
		}
	}
	return 0
}
