package parser

import (
	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/lexer"
)

var assignOps = map[string]bool{
	"=": true, "+=": true, "-=": true, "*=": true, "/=": true, "%=": true,
	"&=": true, "|=": true, "^=": true, "<<=": true, ">>=": true,
}

// block parses `{ stmts [value] }`. With allowValue, a final expression
// without `;` becomes the block's Value; otherwise it is a statement.
func (p *parser) block(allowValue bool) *ast.Block {
	p.enter()
	defer p.leave()
	open := p.expect("{", "{")
	b := &ast.Block{}
	for !p.isPunct("}") {
		if p.tok().Kind == lexer.EOF {
			p.syntaxError("}")
		}
		s, needEnd := p.stmt()
		if !needEnd {
			b.Stmts = append(b.Stmts, s)
			continue
		}
		if p.got(";") {
			b.Stmts = append(b.Stmts, s)
			continue
		}
		if !p.isPunct("}") {
			p.syntaxError("}")
		}
		if es, ok := s.(*ast.ExprStmt); ok && allowValue {
			b.Value = es.X
		} else {
			b.Stmts = append(b.Stmts, s)
		}
	}
	p.next()
	b.Span = p.spanFrom(open)
	return b
}

// stmt parses one statement. needEnd tells whether it must be followed by
// `;` or the block's `}`.
func (p *parser) stmt() (s ast.Stmt, needEnd bool) {
	t := p.tok()
	if t.Kind == lexer.Ident {
		switch t.Value {
		case "if":
			s := p.ifStmt()
			p.got(";")
			return s, false
		case "while":
			p.next()
			cond := p.condition()
			body := p.block(false)
			return &ast.WhileStmt{Span: p.spanFrom(t), Cond: cond, Body: body}, false
		case "import":
			if p.peek(1).Kind == lexer.String {
				return p.importDecl().(*ast.Import), false
			}
		case "unroll":
			return p.unroll(), false
		case "for":
			return p.forStmt(), false
		case "break", "continue":
			p.next()
			return &ast.JumpStmt{Span: t.Span, Kind: t.Value}, true
		case "return":
			p.next()
			j := &ast.JumpStmt{Kind: "return"}
			if !p.isPunct(";") && !p.isPunct("}") {
				j.Value = p.expr()
			}
			j.Span = p.spanFrom(t)
			return j, true
		case "let":
			if p.peek(1).Kind == lexer.Var {
				return p.let(), true
			}
		case "_":
			if p.peek(1).Kind == lexer.Punct && p.peek(1).Value == "=" {
				p.next()
				p.next()
				x := p.expr()
				return &ast.DiscardStmt{Span: p.spanFrom(t), X: x}, true
			}
		}
	}
	if t.Kind == lexer.Punct && t.Value == "{" {
		b := p.block(true)
		p.got(";")
		return &ast.ExprStmt{Span: b.Span, X: b}, false
	}
	if !canStartExpr(t) {
		p.syntaxError("}")
	}
	x := p.expr()
	if op := p.tok(); op.Kind == lexer.Punct && assignOps[op.Value] {
		switch x := x.(type) {
		case *ast.Var, *ast.Map:
		case *ast.Field:
			if op.Value == "=" && !x.Arrow && x.Name[0] >= '0' && x.Name[0] <= '9' {
				p.next()
				p.expr()
				p.fail(p.spanFrom(t), "Tuples are immutable once created. Consider creating a new tuple and assigning it instead.")
			}
			p.syntaxError("}")
		default:
			p.syntaxError("}")
		}
		opSpan := p.next().Span
		v := p.expr()
		return &ast.AssignStmt{Span: p.spanFrom(t), Target: x, Op: op.Value, Value: v, OpSpan: opSpan}, true
	}
	return &ast.ExprStmt{Span: p.spanFrom(t), X: x}, true
}

func (p *parser) ifStmt() *ast.IfStmt {
	p.enter()
	defer p.leave()
	t := p.next()
	s := &ast.IfStmt{}
	s.Paren = p.isPunct("(") && p.parenCondition()
	s.Cond = p.condition()
	s.Then = p.block(false)
	if p.is("else") && p.tok().Kind == lexer.Ident {
		p.next()
		switch {
		case p.is("if") && p.tok().Kind == lexer.Ident:
			s.Else = p.ifStmt()
		case p.isPunct("{"):
			s.Else = p.block(false)
		default:
			p.syntaxError("{ or if")
		}
	}
	s.Span = p.spanFrom(t)
	return s
}

// condition parses the condition of if and while: `(cond)` or, in v0.26,
// a bare expression.
func (p *parser) condition() ast.Expr {
	if p.isPunct("(") && p.parenCondition() {
		p.next()
		x := p.expr()
		p.expect(")", ")")
		return x
	}
	if !canStartExpr(p.tok()) || p.isPunct("{") {
		p.syntaxError("(")
	}
	return p.expr()
}

// parenCondition reports whether the `(` after `if` encloses the whole
// condition, that is the matching `)` is followed by `{`.
func (p *parser) parenCondition() bool {
	depth := 0
	for i := 0; ; i++ {
		u := p.peek(i)
		if u.Kind == lexer.EOF {
			return true
		}
		if u.Kind != lexer.Punct {
			continue
		}
		switch u.Value {
		case "(", "[":
			depth++
		case ")", "]":
			depth--
			if depth == 0 {
				return p.peek(i+1).Is("{") || !canContinue(p.peek(i+1))
			}
		case "{", "}", ";":
			return true
		}
	}
}

// canContinue reports whether t can continue an expression after an
// operand.
func canContinue(t *lexer.Token) bool {
	if t.Kind != lexer.Punct {
		return false
	}
	if _, ok := binPrec[t.Value]; ok {
		return true
	}
	switch t.Value {
	case "?", ".", "->", "[", "++", "--":
		return true
	}
	return false
}

func (p *parser) unroll() ast.Stmt {
	t := p.next()
	p.expect("(", "(")
	var count ast.Expr
	switch c := p.tok(); {
	case c.Kind == lexer.Int, c.Kind == lexer.Param, c.Kind == lexer.ParamCount:
		count = p.primary()
	case c.Kind == lexer.Punct && c.Value == "-" && p.peek(1).Kind == lexer.Int:
		count = p.unary()
	default:
		p.syntaxError("$# or - or positional parameter or integer")
	}
	p.expect(")", ")")
	body := p.block(false)
	return &ast.UnrollStmt{Span: p.spanFrom(t), Count: count, Body: body}
}

func (p *parser) forStmt() ast.Stmt {
	t := p.next()
	paren := p.got("(")
	vt := p.tok()
	if vt.Kind != lexer.Var {
		if !paren {
			p.syntaxError("(")
		}
		p.syntaxError("variable")
	}
	p.next()
	v := &ast.Var{Span: vt.Span, Name: vt.Value}
	p.expect(":", ":")
	start := p.tok()
	iter := p.expr()
	if p.got("..") {
		hi := p.expr()
		iter = &ast.RangeExpr{Span: p.spanFrom(start), Lo: iter, Hi: hi}
	}
	if paren {
		p.expect(")", ")")
	}
	body := p.block(false)
	return &ast.ForStmt{Span: p.spanFrom(t), Var: v, Iter: iter, Body: body}
}

func (p *parser) let() ast.Stmt {
	t := p.next()
	vt := p.next()
	l := &ast.LetStmt{Var: &ast.Var{Span: vt.Span, Name: vt.Value}}
	if p.got(":") {
		l.Type = p.typ()
	}
	if p.got("=") {
		l.Value = p.expr()
	}
	l.Span = p.spanFrom(t)
	return l
}
