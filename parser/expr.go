package parser

import (
	"strconv"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/lexer"
)

// binPrec is bpftrace's binary operator precedence (higher binds tighter).
var binPrec = map[string]int{
	"||": 1, "&&": 2, "|": 3, "^": 4, "&": 5,
	"==": 6, "!=": 6, "<": 7, ">": 7, "<=": 7, ">=": 7,
	"<<": 8, ">>": 8, "+": 9, "-": 9, "*": 10, "/": 10, "%": 10,
}

// expr parses a full expression: a ternary.
func (p *parser) expr() ast.Expr {
	p.enter()
	defer p.leave()
	start := p.tok()
	cond := p.binary(1)
	if !p.isPunct("?") {
		return cond
	}
	p.next()
	t := &ast.Ternary{Cond: cond}
	if !p.got(":") {
		t.Then = p.expr()
		p.expect(":", ":")
	}
	t.Else = p.expr()
	t.Span = p.spanFrom(start)
	return t
}

// binary parses operators of precedence minPrec and above, left
// associative.
func (p *parser) binary(minPrec int) ast.Expr {
	start := p.tok()
	x := p.unary()
	for {
		t := p.tok()
		if t.Kind != lexer.Punct {
			return x
		}
		prec, ok := binPrec[t.Value]
		if !ok || prec < minPrec {
			return x
		}
		p.next()
		y := p.binary(prec + 1)
		x = &ast.Binary{Span: p.spanFrom(start), Op: t.Value, X: x, Y: y, OpPos: t.Span}
	}
}

// canStartExpr reports whether t can begin an expression.
func canStartExpr(t *lexer.Token) bool {
	switch t.Kind {
	case lexer.Int, lexer.String, lexer.Var, lexer.Map, lexer.Param, lexer.ParamCount:
		return true
	case lexer.Ident:
		return !keywords017[t.Value] || t.Value == "if"
	case lexer.Punct:
		switch t.Value {
		case "(", "-", "!", "~", "*", "&", "++", "--", "{":
			return true
		}
	}
	return false
}

func (p *parser) unary() ast.Expr {
	p.enter()
	defer p.leave()
	t := p.tok()
	if t.Kind == lexer.Punct {
		switch t.Value {
		case "-", "!", "~", "*", "&":
			p.next()
			x := p.unary()
			return &ast.Unary{Span: p.spanFrom(t), Op: t.Value, X: x}
		case "++", "--":
			p.next()
			if k := p.tok().Kind; k == lexer.Ident {
				p.fail(t.Span, "The "+t.Value+" operator must be applied to a map or variable")
			} else if k != lexer.Var && k != lexer.Map {
				p.syntaxError("")
			}
			x := p.unary()
			return &ast.IncDec{Span: p.spanFrom(t), Op: t.Value, X: x}
		}
	}
	if t.Kind == lexer.Ident && t.Value == "comptime" && canStartExpr(p.peek(1)) {
		p.next()
		x := p.unary()
		return &ast.Comptime{Span: p.spanFrom(t), X: x}
	}
	return p.postfix(t, p.primary())
}

func (p *parser) postfix(start *lexer.Token, x ast.Expr) ast.Expr {
	for {
		t := p.tok()
		if t.Kind != lexer.Punct {
			return x
		}
		switch t.Value {
		case ".", "->":
			p.next()
			n := p.tok()
			if n.Kind != lexer.Ident && (n.Kind != lexer.Int || t.Value == "->") {
				p.syntaxError("")
			}
			p.next()
			x = &ast.Field{Span: p.spanFrom(start), X: x, Name: n.Text, Arrow: t.Value == "->"}
		case "[":
			p.next()
			i := p.expr()
			p.expect("]", "]")
			x = &ast.Index{Span: p.spanFrom(start), X: x, Index: i}
		case "++", "--":
			switch x.(type) {
			case *ast.Var, *ast.Map:
			case *ast.Ident:
				p.fail(x.Range(), "The "+t.Value+" operator must be applied to a map or variable")
			default:
				return x
			}
			p.next()
			x = &ast.IncDec{Span: p.spanFrom(start), Op: t.Value, Post: true, X: x}
		default:
			return x
		}
	}
}

func (p *parser) primary() ast.Expr {
	t := p.tok()
	switch t.Kind {
	case lexer.Int:
		p.next()
		return &ast.Int{Span: t.Span, Text: t.Text, Value: t.IntValue}
	case lexer.String:
		p.next()
		return &ast.Str{Span: t.Span, Text: t.Text, Value: t.Value}
	case lexer.Var:
		p.next()
		return &ast.Var{Span: t.Span, Name: t.Value}
	case lexer.Map:
		p.next()
		m := &ast.Map{Span: t.Span, Name: t.Value}
		if p.got("[") {
			m.Keys = p.exprList("]")
			m.Span = p.spanFrom(t)
		}
		return m
	case lexer.Param:
		p.next()
		n, err := strconv.Atoi(t.Value)
		if err != nil || n == 0 {
			p.fail(t.Span, "param "+t.Text+" is out of integer range [1, 9223372036854775807]")
		}
		return &ast.PositionalParam{Span: t.Span, N: n}
	case lexer.ParamCount:
		p.next()
		return &ast.ParamCount{Span: t.Span}
	case lexer.Ident:
		return p.identExpr()
	case lexer.Punct:
		switch t.Value {
		case "(":
			return p.paren()
		case "{":
			return p.block(true)
		}
	}
	p.syntaxError("")
	return nil
}

// exprList parses `e, e, ...` up to the closing punctuation (consumed).
func (p *parser) exprList(closer string) []ast.Expr {
	var list []ast.Expr
	expecting := closer + ` or ","`
	for {
		list = append(list, p.expr())
		if p.got(",") {
			continue
		}
		p.expect(closer, expecting)
		return list
	}
}

func (p *parser) identExpr() ast.Expr {
	t := p.next()
	switch t.Value {
	case "true", "false":
		return &ast.Bool{Span: t.Span, Value: t.Value == "true"}
	case "sizeof":
		if p.isPunct("(") {
			return p.sizeof(t)
		}
	case "offsetof":
		if p.isPunct("(") {
			return p.offsetof(t)
		}
	case "typeinfo":
		if p.isPunct("(") {
			return p.typeinfo(t)
		}
	case "if", "else", "while", "for", "unroll", "return", "break", "continue":
		p.i--
		p.syntaxError("")
	}
	if calls017[t.Value] && !p.isPunct("(") && !p.isPunct("!") && !p.isPunct("++") && !p.isPunct("--") {
		// A 0.17 call name is never a value on its own.
		p.syntaxError("++ or --")
	}
	bang := false
	if p.isPunct("!") && p.peek(1).Is("(") && p.peek(1).Kind == lexer.Punct {
		p.next()
		bang = true
	}
	if !p.isPunct("(") {
		return &ast.Ident{Span: t.Span, Name: t.Value}
	}
	p.next()
	c := &ast.Call{Name: t.Value, Bang: bang, NameSpan: t.Span}
	if !p.got(")") {
		c.Args = p.exprList(")")
	}
	c.Span = p.spanFrom(t)
	return c
}

// paren parses what follows `(`: an empty tuple, a record, a cast, a tuple
// or a parenthesised expression.
func (p *parser) paren() ast.Expr {
	open := p.next()
	if p.got(")") {
		return &ast.Tuple{Span: p.spanFrom(open)}
	}
	if t := p.tok(); t.Kind == lexer.Ident && p.peek(1).Kind == lexer.Punct && p.peek(1).Value == "=" {
		return p.record(open)
	}
	if p.tok().Kind == lexer.Ident && p.peek(1).Is("*") && !p.peek(2).Is("*") && !p.peek(2).Is(")") && !p.peek(2).Is("[") && !canStartExpr(p.peek(2)) {
		// bpftrace 0.17 reads `(name *` as the start of a cast.
		p.next()
		p.next()
		p.syntaxError(") or *")
	}
	if p.looksLikeCast() {
		typ := p.typ()
		p.expect(")", ")")
		x := p.unary()
		return &ast.Cast{Span: p.spanFrom(open), Type: typ, X: x}
	}
	x := p.expr()
	if p.isPunct(")") {
		p.next()
		return x
	}
	if !p.isPunct(",") {
		p.syntaxError(`) or ","`)
	}
	elems := []ast.Expr{x}
	for p.got(",") {
		if p.isPunct(")") {
			break
		}
		elems = append(elems, p.expr())
	}
	p.expect(")", `) or ","`)
	return &ast.Tuple{Span: p.spanFrom(open), Elems: elems}
}

func (p *parser) record(open *lexer.Token) ast.Expr {
	r := &ast.Record{}
	for {
		name := p.tok()
		if name.Kind != lexer.Ident {
			p.syntaxError("identifier")
		}
		p.next()
		p.expect("=", "=")
		v := p.expr()
		r.Fields = append(r.Fields, &ast.RecordField{Span: p.spanFrom(name), Name: name.Value, Value: v})
		if p.got(",") {
			if p.isPunct(")") {
				break
			}
			continue
		}
		break
	}
	p.expect(")", `) or ","`)
	r.Span = p.spanFrom(open)
	return r
}
