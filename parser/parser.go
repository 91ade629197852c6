// Package parser turns bpftrace source into an ast.Program: a grammar over
// the participle-compatible token stream of package lexer, lowered into
// package ast.
//
// The grammar is written by hand as recursive descent over the lexer's
// token slice (expressions by precedence climbing) instead of participle's
// reflection-driven grammar structs. Three requirements decided it: error
// messages must be byte-identical to bpftrace 0.17's bison parser ("syntax
// error, unexpected X, expecting Y" depends on the parser state, which a
// hand-written parser can name at each call site but participle's
// generated errors cannot); several constructs need unbounded lookahead
// with backtracking (cast vs. parenthesised expression, records, trailing
// block values); and the time budget is well under a millisecond per
// script, which participle's reflection and per-token allocation do not
// meet. The token stream is still a participle lexer (lexer.Definition).
//
// Like bison, the parser stops at the first syntax error; lexical errors
// before that point are reported too, in source order, at most
// ast.MaxErrors.
package parser

import (
	"sort"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/lexer"
)

// maxDepth bounds the nesting of expressions and blocks.
const maxDepth = 600

type parser struct {
	file    string
	src     string
	toks    []lexer.Token
	i       int
	maxI    int // furthest token looked at
	prevEnd ast.Pos
	depth   int
	errs    ast.ErrorList
}

// bailout unwinds the parser after a syntax error.
type bailout struct{}

// Parse parses a bpftrace script. The error, if any, is an ast.ErrorList.
func Parse(filename, src string) (prog *ast.Program, err error) {
	res := lexer.Scan(filename, src)
	p := &parser{file: filename, src: src, toks: res.Tokens}
	prog = &ast.Program{Filename: filename, Shebang: res.Shebang, Comments: res.Comments}
	func() {
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(bailout); !ok {
					// A parser bug must not take the caller down
					// (FuzzParse hunts for them): report it at the
					// token where it happened.
					var at ast.Span
					if p.i >= 0 && p.i < len(p.toks) {
						at = p.toks[p.i].Span
					}
					p.errs.Add(filename, at, "internal parser error: %v", r)
				}
			}
		}()
		p.program(prog)
	}()
	// Lexical errors come first at the same position, like bpftrace's
	// on-demand lexer reports them before the parser sees the token.
	var all ast.ErrorList
	for _, le := range res.Errors {
		if le.Before <= p.maxI {
			all = append(all, le.Err)
		}
	}
	all = append(all, p.errs...)
	if len(all) == 0 {
		return prog, nil
	}
	sort.SliceStable(all, func(a, b int) bool {
		return all[a].Span.Lead.Offset < all[b].Span.Lead.Offset
	})
	if len(all) > ast.MaxErrors {
		all = all[:ast.MaxErrors]
	}
	return prog, all
}

func (p *parser) tok() *lexer.Token {
	if p.i > p.maxI {
		p.maxI = p.i
	}
	return &p.toks[p.i]
}

// peek returns the token n places ahead of the current one.
func (p *parser) peek(n int) *lexer.Token {
	j := p.i + n
	if j >= len(p.toks) {
		j = len(p.toks) - 1
	}
	if j > p.maxI {
		p.maxI = j
	}
	return &p.toks[j]
}

func (p *parser) next() *lexer.Token {
	t := p.tok()
	if t.Kind != lexer.EOF {
		p.i++
	}
	p.prevEnd = t.Span.End
	return t
}

// is reports whether the current token is the punctuation or keyword s.
func (p *parser) is(s string) bool { return p.tok().Is(s) }

func (p *parser) isPunct(s string) bool {
	t := p.tok()
	return t.Kind == lexer.Punct && t.Value == s
}

// got consumes the punctuation s if it is next.
func (p *parser) got(s string) bool {
	if p.isPunct(s) {
		p.next()
		return true
	}
	return false
}

// expect consumes the punctuation s or fails with "expecting" as the list
// of expected tokens ("" for none).
func (p *parser) expect(s, expecting string) *lexer.Token {
	if !p.isPunct(s) {
		p.syntaxError(expecting)
	}
	return p.next()
}

// spanFrom returns the span from start to the end of the last consumed
// token.
func (p *parser) spanFrom(start *lexer.Token) ast.Span {
	return ast.Span{Lead: start.Span.Lead, Start: start.Span.Start, End: p.prevEnd}
}

func spanFromTo(start ast.Span, end ast.Span) ast.Span {
	return ast.Span{Lead: start.Lead, Start: start.Start, End: end.End}
}

// syntaxError reports bison's message for the current token and stops.
func (p *parser) syntaxError(expecting string) {
	t := p.tok()
	name, sp := tokenName(t), t.Span
	if t.Kind == lexer.Punct && t.Value == ":" {
		// bpftrace 0.17 lexes `:name` as one path token.
		if n := pathLen(p.src[sp.End.Offset:]); n > 0 {
			name = "path"
			sp.End.Offset += n
			sp.End.Col += n
		}
	}
	msg := "syntax error, unexpected " + name
	if expecting != "" {
		msg += ", expecting " + expecting
	}
	p.errs = append(p.errs, &ast.Error{Filename: p.file, Span: sp, Msg: msg})
	panic(bailout{})
}

// pathLen is the length of 0.17's path characters at the start of s.
func pathLen(s string) int {
	n := 0
	for n < len(s) {
		c := s[n]
		switch {
		case c == '\\' && n+1 < len(s) && s[n+1] != '\n':
			n += 2
		case c == '_' || c == '-' || c == '.' || c == '/' || c == '#' || c == '*' ||
			(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'):
			n++
		default:
			return n
		}
	}
	return n
}

// errorAt records a non-syntax error and lets parsing continue.
func (p *parser) errorAt(sp ast.Span, msg string) {
	p.errs = append(p.errs, &ast.Error{Filename: p.file, Span: sp, Msg: msg})
}

// fail records an error and stops.
func (p *parser) fail(sp ast.Span, msg string) {
	p.errorAt(sp, msg)
	panic(bailout{})
}

func (p *parser) enter() {
	p.depth++
	if p.depth > maxDepth {
		p.fail(p.tok().Span, "nesting too deep")
	}
}

func (p *parser) leave() { p.depth-- }
