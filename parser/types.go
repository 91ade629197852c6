package parser

import (
	"strconv"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/lexer"
)

// typeNames are names that are certainly types, so `(name)` before an
// operator such as `-` or `*` is a cast and `sizeof(name)` takes a type.
var typeNames = map[string]bool{
	"bool": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint8": true, "uint16": true, "uint32": true, "uint64": true,
	"string": true, "buffer": true, "inet": true, "void": true, "char": true,
	"short": true, "int": true, "long": true, "unsigned": true, "signed": true,
	"u8": true, "u16": true, "u32": true, "u64": true,
	"s8": true, "s16": true, "s32": true, "s64": true,
	"size_t": true, "pid_t": true, "usym_t": true, "ksym_t": true,
	"timestamp": true, "kstack_t": true, "ustack_t": true,
}

func isTagKeyword(s string) bool { return s == "struct" || s == "union" || s == "enum" }

// scanType returns the index just after a type starting at token i, and
// whether it is certainly a type (not just an identifier).
func (p *parser) scanType(i int) (end int, certain bool, ok bool) {
	t := p.peek(i)
	if t.Kind != lexer.Ident || keywords017[t.Value] {
		return 0, false, false
	}
	switch {
	case isTagKeyword(t.Value):
		if p.peek(i+1).Kind != lexer.Ident {
			return 0, false, false
		}
		i += 2
		certain = true
	case t.Value == "typeof" && p.peek(i+1).Kind == lexer.Punct && p.peek(i+1).Value == "(":
		depth := 0
		for i++; ; i++ {
			u := p.peek(i)
			if u.Kind == lexer.EOF {
				return 0, false, false
			}
			if u.Kind == lexer.Punct && u.Value == "(" {
				depth++
			} else if u.Kind == lexer.Punct && u.Value == ")" {
				depth--
				if depth == 0 {
					break
				}
			}
		}
		i++
		certain = true
	default:
		if identName(t.Value) != "identifier" && !typeNames[t.Value] {
			return 0, false, false
		}
		certain = typeNames[t.Value]
		i++
	}
	for {
		u := p.peek(i)
		if u.Kind != lexer.Punct {
			return i, certain, true
		}
		switch u.Value {
		case "*":
			i++
			certain = true
		case "[":
			if n := p.peek(i + 1); n.Kind == lexer.Int && p.peek(i+2).Is("]") {
				i += 3
			} else if p.peek(i + 1).Is("]") {
				i += 2
			} else {
				return i, certain, true
			}
			certain = true
		default:
			return i, certain, true
		}
	}
}

// looksLikeCast reports whether the tokens after `(` are `type ) operand`.
func (p *parser) looksLikeCast() bool {
	end, certain, ok := p.scanType(0)
	if !ok || !p.peek(end).Is(")") || p.peek(end).Kind != lexer.Punct {
		return false
	}
	after := p.peek(end + 1)
	switch after.Kind {
	case lexer.Int, lexer.String, lexer.Var, lexer.Map, lexer.Param, lexer.ParamCount:
		return true
	case lexer.Ident:
		return !keywords017[after.Value]
	case lexer.Punct:
		switch after.Value {
		case "(":
			return true
		case "-", "!", "~", "*", "&", "++", "--":
			return certain
		}
	}
	return false
}

// typ parses a type: a base name and postfix `*` and `[N]` modifiers.
func (p *parser) typ() *ast.Type {
	start := p.tok()
	if start.Kind != lexer.Ident {
		p.syntaxError("")
	}
	p.next()
	t := &ast.Type{Base: start.Value}
	switch {
	case isTagKeyword(start.Value):
		name := p.tok()
		if name.Kind != lexer.Ident {
			p.syntaxError("identifier")
		}
		p.next()
		t.Base = start.Value + " " + name.Value
	case start.Value == "typeof" && p.isPunct("("):
		p.next()
		if end, certain, ok := p.scanType(0); ok && certain && p.peek(end).Is(")") {
			inner := p.typ()
			t.Base, t.Mods = inner.Base, inner.Mods
			t.Typeof = inner.Typeof
		} else {
			t.Typeof = p.expr()
		}
		p.expect(")", ")")
	}
	for {
		switch {
		case p.isPunct("*"):
			p.next()
			t.Mods = append(t.Mods, ast.TypeMod{Ptr: true})
			continue
		case p.isPunct("["):
			p.next()
			n := -1
			if l := p.tok(); l.Kind == lexer.Int {
				p.next()
				n = int(l.IntValue)
				if l.IntValue > 1<<31 {
					p.fail(l.Span, "array length too large: "+strconv.FormatUint(l.IntValue, 10))
				}
			}
			p.expect("]", "]")
			t.Mods = append(t.Mods, ast.TypeMod{Len: n})
			continue
		}
		break
	}
	t.Span = p.spanFrom(start)
	return t
}

// typeOrExpr parses the argument of sizeof, offsetof and typeinfo.
func (p *parser) typeOrExpr() (*ast.Type, ast.Expr) {
	if end, certain, ok := p.scanType(0); ok && certain {
		if u := p.peek(end); u.Is(")") || u.Is(",") {
			return p.typ(), nil
		}
	}
	return nil, p.expr()
}

func (p *parser) sizeof(kw *lexer.Token) ast.Expr {
	p.next()
	typ, x := p.typeOrExpr()
	p.expect(")", ")")
	return &ast.Sizeof{Span: p.spanFrom(kw), Type: typ, X: x}
}

func (p *parser) typeinfo(kw *lexer.Token) ast.Expr {
	p.next()
	typ, x := p.typeOrExpr()
	p.expect(")", ")")
	return &ast.Typeinfo{Span: p.spanFrom(kw), Type: typ, X: x}
}

func (p *parser) offsetof(kw *lexer.Token) ast.Expr {
	p.next()
	o := &ast.Offsetof{}
	o.Type, o.X = p.typeOrExpr()
	p.expect(",", `","`)
	for {
		f := p.tok()
		if f.Kind != lexer.Ident && f.Kind != lexer.Int {
			p.syntaxError("identifier")
		}
		p.next()
		o.Field = append(o.Field, f.Text)
		if !p.got(".") {
			break
		}
	}
	p.expect(")", ")")
	o.Span = p.spanFrom(kw)
	return o
}
