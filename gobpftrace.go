// Package gobpftrace is the bpftrace tracing language as a Go library. It is
// the small facade an embedder imports: it parses scripts into an AST,
// formats them back as canonical source, and (as the pipeline grows)
// compiles them to eBPF and runs them.
//
// The work is done by the packages behind it: lexer and parser build an
// ast.Program; later passes check and compile it.
package gobpftrace

import (
	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/parser"
)

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
