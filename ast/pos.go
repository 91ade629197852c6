// Package ast defines the syntax tree of a bpftrace program: nodes with
// source spans, Walk and Inspect, positioned errors printed the way bpftrace
// prints them, a position-free dump for tests, and a formatter that prints a
// tree back as canonical bpftrace source.
//
// The package depends on the standard library only; the lexer and parser
// packages build trees of these nodes, later passes (types, codegen) read
// them.
package ast

import "fmt"

// Pos is a position in a source file. Line and Col are 1-based; Col counts
// bytes. Offset is the 0-based byte offset.
type Pos struct {
	Offset int
	Line   int
	Col    int
}

// IsValid reports whether p was set.
func (p Pos) IsValid() bool { return p.Line > 0 }

func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// Span is the source range of a node or token.
//
// Start and End are exact: Start is the first byte, End is one past the last
// byte. Lead is where bpftrace 0.17 would say the range begins: its lexer
// only moves a location's start forward over white space, so a token that
// directly follows another token (as in `1 +)`) starts where that run of
// non-blank text starts. Error messages print Lead.Col-End.Col to stay
// byte-identical with bpftrace; tools that want exact ranges use Start.
type Span struct {
	Lead  Pos
	Start Pos
	End   Pos
}

// Pos returns the exact start of the span; it makes every Span a Node
// position provider.
func (s Span) Pos() Pos { return s.Start }

// Join returns the smallest span covering a and b.
func Join(a, b Span) Span {
	if !a.Start.IsValid() {
		return b
	}
	if !b.Start.IsValid() {
		return a
	}
	r := a
	if b.Start.Offset < r.Start.Offset {
		r.Start = b.Start
		r.Lead = b.Lead
	}
	if b.End.Offset > r.End.Offset {
		r.End = b.End
	}
	return r
}
