package parser

import (
	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/lexer"
)

// section numbers enforce bpftrace's order of top-level items.
const (
	secC = iota
	secPreamble
	secMain
)

func (p *parser) program(prog *ast.Program) {
	first := p.tok()
	defer func() {
		prog.Span = ast.Span{Lead: first.Span.Lead, Start: first.Span.Start, End: p.toks[len(p.toks)-1].Span.End}
	}()
	sec := secC
	hasMain := false
	for {
		t := p.tok()
		var d ast.Decl
		switch {
		case t.Kind == lexer.EOF:
			if !hasMain {
				p.noProbes(prog, t)
			}
			return
		case t.Kind == lexer.CPreproc:
			if sec > secC {
				p.syntaxError("{")
			}
			p.next()
			d = &ast.CPreproc{Span: t.Span, Text: t.Text}
		case t.Kind == lexer.CDef:
			if sec > secC {
				p.syntaxError("{")
			}
			p.next()
			d = p.cDefinition(t)
		case t.Kind == lexer.Ident && t.Value == "config":
			d = p.config()
			p.order(&sec, secPreamble, t.Span, "config must appear before probes and functions")
			hasMain = true
		case t.Kind == lexer.Ident && t.Value == "import":
			d = p.importDecl()
			p.order(&sec, secPreamble, t.Span, "root imports must appear before probes and functions")
			hasMain = true
		case t.Kind == lexer.Ident && t.Value == "let":
			d = p.mapDecl()
			sec, hasMain = secMain, true
		case t.Kind == lexer.Ident && t.Value == "macro":
			d = p.macro()
			sec, hasMain = secMain, true
		case t.Kind == lexer.Ident && t.Value == "fn":
			d = p.subprog()
			sec, hasMain = secMain, true
		default:
			d = p.probe()
			sec, hasMain = secMain, true
		}
		prog.Decls = append(prog.Decls, d)
	}
}

// order reports an item that comes after a later section.
func (p *parser) order(sec *int, want int, sp ast.Span, msg string) {
	if *sec > want {
		p.errorAt(sp, msg)
		return
	}
	*sec = want
}

// noProbes reports a script without probes the way bpftrace 0.17 does.
func (p *parser) noProbes(prog *ast.Program, eof *lexer.Token) {
	var sp ast.Span
	if len(p.src) > 0 {
		sp = p.emptyRuleSpan(p.prevEnd, eof)
	}
	p.errorAt(sp, "unexpected end of file, expected {")
}

// emptyRuleSpan is bison's location of a rule that starts with an empty
// attach point: from the end of the previous token (or 1:1) to eof.
func (p *parser) emptyRuleSpan(prevEnd ast.Pos, eof *lexer.Token) ast.Span {
	start := ast.Pos{Offset: 0, Line: 1, Col: 1}
	if prevEnd.IsValid() {
		start = prevEnd
	}
	return ast.Span{Lead: start, Start: start, End: eof.Span.End}
}

func (p *parser) probe() ast.Decl {
	first := p.tok()
	prevEnd := p.prevEnd
	pr := &ast.Probe{}
	for {
		t := p.tok()
		if t.Kind == lexer.AttachPoint {
			p.next()
			ap := p.attachPoint(t, len(pr.AttachPoints) == 0, pr)
			pr.AttachPoints = append(pr.AttachPoints, ap)
			continue
		}
		if t.Kind == lexer.Punct && t.Value == "," {
			p.next()
			continue
		}
		break
	}
	p.apContinuation()
	if p.tok().Kind == lexer.EOF {
		p.fail(p.emptyRuleSpan(prevEnd, p.tok()), "unexpected end of file, expected {")
	}
	if p.isPunct("/") {
		open := p.next()
		pr.Pred = p.expr()
		if p.tok().Kind != lexer.EndPred {
			p.syntaxError("end predicate")
		}
		p.next()
		pr.PredSpan = p.spanFrom(open)
	}
	if !p.isPunct("{") {
		p.syntaxError("{")
	}
	if len(pr.AttachPoints) == 0 {
		// bpftrace 0.17 reports this without a probe location.
		at := ast.Pos{Offset: 0, Line: 1, Col: 1}
		p.errorAt(ast.Span{Lead: at, Start: at, End: at}, "No attach points for probe")
	}
	pr.Body = p.block(false)
	pr.Span = p.spanFrom(first)
	for _, ap := range pr.AttachPoints {
		p.checkProvider(ap)
	}
	return pr
}

func (p *parser) config() ast.Decl {
	t := p.next()
	p.expect("=", "=")
	p.expect("{", "{")
	c := &ast.Config{}
	for !p.isPunct("}") {
		k := p.tok()
		if k.Kind != lexer.Ident {
			p.syntaxError("identifier or }")
		}
		p.next()
		p.expect("=", "=")
		v := p.configValue()
		c.Items = append(c.Items, &ast.ConfigItem{Span: p.spanFrom(k), Key: k.Value, Value: v})
		if !p.got(";") && !p.isPunct("}") {
			p.syntaxError(`; or }`)
		}
	}
	p.next()
	p.got(";")
	c.Span = p.spanFrom(t)
	return c
}

func (p *parser) configValue() ast.Expr {
	switch t := p.tok(); t.Kind {
	case lexer.Int, lexer.String, lexer.Ident:
		return p.primary()
	}
	p.syntaxError("")
	return nil
}

func (p *parser) importDecl() ast.Decl {
	t := p.next()
	s := p.tok()
	if s.Kind != lexer.String {
		p.syntaxError("string")
	}
	p.next()
	p.got(";")
	return &ast.Import{Span: p.spanFrom(t), Path: s.Value}
}

func (p *parser) mapDecl() ast.Decl {
	t := p.next()
	mt := p.tok()
	if mt.Kind != lexer.Map {
		p.fail(mt.Span, "root-level let statements need to be map declarations, e.g. let @a = hash(2);")
	}
	p.next()
	d := &ast.MapDecl{Map: &ast.Map{Span: mt.Span, Name: mt.Value}}
	p.expect("=", "=")
	k := p.tok()
	if k.Kind != lexer.Ident {
		p.syntaxError("identifier")
	}
	p.next()
	d.Kind = k.Value
	p.expect("(", "(")
	n := p.tok()
	if n.Kind != lexer.Int {
		p.syntaxError("integer")
	}
	p.next()
	d.MaxEntries = n.IntValue
	p.expect(")", ")")
	p.got(";")
	d.Span = p.spanFrom(t)
	return d
}

func (p *parser) macro() ast.Decl {
	t := p.next()
	name := p.tok()
	if name.Kind != lexer.Ident {
		p.syntaxError("identifier")
	}
	p.next()
	m := &ast.Macro{Name: name.Value}
	if !p.got("(") {
		if !p.isPunct("{") {
			p.syntaxError("(")
		}
		m.Body = p.block(true)
		m.Span = p.spanFrom(t)
		return m
	}
	for !p.isPunct(")") {
		a := p.tok()
		switch a.Kind {
		case lexer.Var:
			m.Params = append(m.Params, &ast.Var{Span: a.Span, Name: a.Value})
		case lexer.Map:
			m.Params = append(m.Params, &ast.Map{Span: a.Span, Name: a.Value})
		case lexer.Ident:
			m.Params = append(m.Params, &ast.Ident{Span: a.Span, Name: a.Value})
		default:
			p.syntaxError("")
		}
		p.next()
		if !p.got(",") && !p.isPunct(")") {
			p.syntaxError(`) or ","`)
		}
	}
	p.next()
	m.Body = p.block(true)
	m.Span = p.spanFrom(t)
	return m
}

func (p *parser) subprog() ast.Decl {
	t := p.next()
	name := p.tok()
	if name.Kind != lexer.Ident {
		p.syntaxError("identifier")
	}
	p.next()
	f := &ast.Subprog{Name: name.Value}
	p.expect("(", "(")
	for !p.isPunct(")") {
		a := p.tok()
		if a.Kind != lexer.Var {
			p.syntaxError("variable")
		}
		p.next()
		p.expect(":", ":")
		typ := p.typ()
		f.Params = append(f.Params, &ast.Param{Span: p.spanFrom(a), Var: &ast.Var{Span: a.Span, Name: a.Value}, Type: typ})
		if !p.got(",") && !p.isPunct(")") {
			p.syntaxError(`) or ","`)
		}
	}
	p.next()
	if p.got(":") {
		f.Result = p.typ()
	}
	f.Body = p.block(false)
	f.Span = p.spanFrom(t)
	return f
}

// apContinuation handles tokens after an attach point that bpftrace 0.17
// would have glued onto it (`BEGIN printf(`): the syntax error is reported
// at the first token that could not continue an attach point.
func (p *parser) apContinuation() {
	i := 0
	for {
		t := p.peek(i)
		switch t.Kind {
		case lexer.Ident, lexer.Int, lexer.String, lexer.Param:
			i++
			continue
		case lexer.Punct:
			switch t.Value {
			case ":", ".", "+", "*", "[", "]":
				i++
				continue
			}
		}
		break
	}
	if i == 0 {
		return
	}
	if t := p.peek(i); t.Kind == lexer.EOF || t.Is("{") || t.Is("/") || t.Is(",") {
		p.syntaxError("{")
	}
	p.i += i
	p.syntaxError("{")
}
