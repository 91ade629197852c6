// Package gobpftrace is the bpftrace tracing language as a Go library. It is
// the small facade an embedder imports: Compile turns a script into a
// host-independent codegen.Program without touching the kernel, and
// runtime.Load runs it:
//
//	prog, err := gobpftrace.Compile("incident.bt", src, nil)
//	sess, err := runtime.Load(prog, &runtime.Options{PID: pid})
//	defer sess.Close()
//	for ev, err := range sess.Events(ctx) { ... ev.Decode(&row) ... }
//
// The work is done by the packages behind it: lexer and parser build an
// ast.Program, types checks it, codegen compiles it to eBPF.
package gobpftrace

import (
	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/codegen"
	"github.com/gobpftrace/gobpftrace/parser"
	"github.com/gobpftrace/gobpftrace/types"
)

// CompileOptions are the inputs of Compile besides the script. Nil means
// defaults: no PID, no positional parameters, facts about binaries read
// from this host's files.
type CompileOptions struct {
	// PID is the process a script will trace (-p): a uprobe may then omit
	// its binary.
	PID int
	// Params are the positional parameters: $1 is Params[0].
	Params []string
	// Env answers questions about traced binaries; nil reads the host's
	// files (never the kernel).
	Env types.Env
}

// Compile parses, checks and compiles a script. It reads traced binaries'
// symbols but never touches the kernel, and gives the same Program for the
// same script and binaries on every host. The error is an ast.ErrorList;
// warnings are in the program's Info.Warnings. Print either with
// ast.PrintError.
func Compile(filename, src string, opts *CompileOptions) (*codegen.Program, error) {
	if opts == nil {
		opts = &CompileOptions{}
	}
	p, err := parser.Parse(filename, src)
	if err != nil {
		return nil, err
	}
	info, err := types.Check(p, &types.Config{Env: opts.Env, PID: opts.PID, Params: opts.Params})
	if err != nil {
		return nil, err
	}
	return codegen.CompileSource(p, info, src)
}

// Version is the version gobpftrace reports.
const Version = "v0.1.0-dev"

// Parse parses a bpftrace script. filename names it in error messages
// (bpftrace names `-e` programs "stdin"). The error, if any, is an
// ast.ErrorList; print it with ast.PrintError.
func Parse(filename, src string) (*ast.Program, error) {
	return parser.Parse(filename, src)
}

// Format parses a script and returns it as canonical bpftrace source, like
// `bpftrace --fmt`. Comments are kept.
func Format(filename, src string) (string, error) {
	p, err := parser.Parse(filename, src)
	if err != nil {
		return "", err
	}
	return ast.Format(p), nil
}
