package ast

// itemList prints a sequence of statements or declarations with the
// comments that belong to them. Each comment is emitted once: as a line of
// its own before the first item that starts after it (comments inside an
// item but outside its nested blocks go before that item), at the end of
// the line where an item ended, or before the end of the list.
type itemList struct {
	p        *printer
	top      bool // top level: declarations, no newline before the first
	first    bool // nothing printed yet
	end      int  // offset of the list's end (the closing brace); -1: none
	lastLine int  // source line where the last printed item or comment ended
	prevKind string

	trail    bool // the last item may take comments at the end of its line
	trailEnd Pos
}

// sep starts a new line for an item starting on source line `line`, with a
// blank line before it when the source had one (at most one), or when
// top-level declarations of different kinds meet.
func (l *itemList) sep(line int, kind string) {
	p := l.p
	if l.first {
		l.first = false
		if !l.top {
			p.nl()
		}
		return
	}
	p.nl()
	blank := line > l.lastLine+1
	if l.top && kind != "comment" && l.prevKind != "comment" && l.prevKind != kind {
		blank = true
	}
	if l.top && l.prevKind == "decl" {
		blank = true
	}
	if blank {
		p.nl()
	}
}

func (l *itemList) inList(c *Comment) bool {
	return l.end < 0 || c.Span.Start.Offset < l.end
}

func (l *itemList) comment(i int) {
	c := l.p.comments[i]
	l.p.done[i] = true
	l.sep(c.Span.Start.Line, "comment")
	l.p.write(c.Text)
	l.lastLine = c.Span.End.Line
	l.prevKind = "comment"
}

// trailing appends the comments that follow the last item on its final
// source line and start before offset next.
func (l *itemList) trailing(next int) {
	if !l.trail {
		return
	}
	l.trail = false
	p := l.p
	for i, c := range p.comments {
		st := c.Span.Start
		if p.done[i] || st.Offset < l.trailEnd.Offset || st.Line != l.trailEnd.Line || !l.inList(c) {
			continue
		}
		if next >= 0 && st.Offset >= next {
			continue
		}
		p.done[i] = true
		p.write(" " + c.Text)
		l.lastLine = c.Span.End.Line
	}
}

// item prints n with print, preceded by its leading comments.
func (l *itemList) item(n Node, kind string, print func()) {
	p := l.p
	sp := n.Range()
	l.trailing(sp.Start.Offset)
	nested := nestedBlocks(n)
	header := headerRanges(n)
	for i, c := range p.comments {
		if p.done[i] || c.Span.Start.Offset >= sp.End.Offset || !l.inList(c) || inSpans(c.Span.Start.Offset, nested) {
			continue
		}
		if inRanges(c, header) {
			continue // printed at the end of its header line
		}
		l.comment(i)
	}
	l.sep(sp.Start.Line, kind)
	print()
	if sp.End.Line > l.lastLine {
		l.lastLine = sp.End.Line
	}
	l.prevKind = kind
	l.trail = true
	l.trailEnd = sp.End
}

// finish prints the comments left before the end of the list.
func (l *itemList) finish() {
	l.trailing(l.end)
	for i, c := range l.p.comments {
		if !l.p.done[i] && l.inList(c) {
			l.comment(i)
		}
	}
}

// nestedBlocks returns the spans of the outermost blocks inside n (n
// included): the comments inside them are printed with those blocks.
func nestedBlocks(n Node) []Span {
	var spans []Span
	Inspect(n, func(x Node) bool {
		if b, ok := x.(*Block); ok {
			spans = append(spans, b.Span)
			return false
		}
		return true
	})
	return spans
}

func inSpans(off int, spans []Span) bool {
	for _, s := range spans {
		if off >= s.Start.Offset && off < s.End.Offset {
			return true
		}
	}
	return false
}

// hasComments reports whether comments not yet printed start inside sp.
func (p *printer) hasComments(sp Span) bool {
	for i, c := range p.comments {
		if !p.done[i] && c.Span.Start.Offset >= sp.Start.Offset && c.Span.Start.Offset < sp.End.Offset {
			return true
		}
	}
	return false
}

// blockExpr prints a block used as an expression: on one line when it
// holds only a value, `{ $x + 1 }`, else like block.
func (p *printer) blockExpr(b *Block) {
	if b != nil && len(b.Stmts) == 0 && !isNil(b.Value) && !p.hasComments(b.Span) && len(nestedBlocks(b.Value)) == 0 {
		p.write("{ ")
		p.expr(b.Value, precTernary)
		p.write(" }")
		return
	}
	p.block(b)
}

// block prints `{`, the statements and trailing value one per line, and
// `}`; an empty block is `{}`.
func (p *printer) block(b *Block) {
	if b == nil {
		p.write("{}")
		return
	}
	if len(b.Stmts) == 0 && isNil(b.Value) && !p.hasComments(b.Span) {
		p.write("{}")
		return
	}
	p.write("{")
	p.indent++
	l := &itemList{p: p, first: true, end: b.Span.End.Offset}
	p.braceComments(b, l)
	for _, s := range b.Stmts {
		if isNil(s) {
			continue
		}
		s := s
		l.item(s, "", func() { p.stmt(s) })
	}
	if !isNil(b.Value) {
		l.item(b.Value, "", func() { p.expr(b.Value, precTernary) })
	}
	l.finish()
	p.indent--
	p.nl()
	p.write("}")
}

func (p *printer) stmt(s Stmt) {
	switch s := s.(type) {
	case *ExprStmt:
		if b, ok := s.X.(*Block); ok {
			p.block(b)
			return
		}
		p.expr(s.X, precTernary)
		p.write(";")
	case *AssignStmt:
		p.expr(s.Target, precPostfix)
		p.write(" " + s.Op + " ")
		p.expr(s.Value, precTernary)
		p.write(";")
	case *LetStmt:
		p.write("let ")
		if s.Var != nil {
			p.write("$" + s.Var.Name)
		}
		if s.Type != nil {
			p.write(": " + TypeString(s.Type))
		}
		if !isNil(s.Value) {
			p.write(" = ")
			p.expr(s.Value, precTernary)
		}
		p.write(";")
	case *DiscardStmt:
		p.write("_ = ")
		p.expr(s.X, precTernary)
		p.write(";")
	case *IfStmt:
		p.ifStmt(s)
	case *Block:
		p.block(s)
	case *UnrollStmt:
		p.write("unroll (")
		p.expr(s.Count, precTernary)
		p.write(") ")
		p.block(s.Body)
	case *WhileStmt:
		p.write("while (")
		p.expr(s.Cond, precTernary)
		p.write(") ")
		p.block(s.Body)
	case *ForStmt:
		p.write("for (")
		if s.Var != nil {
			p.write("$" + s.Var.Name)
		}
		p.write(" : ")
		p.expr(s.Iter, precTernary)
		p.write(") ")
		p.block(s.Body)
	case *Import:
		p.decl(s)
	case *JumpStmt:
		p.write(s.Kind)
		if !isNil(s.Value) {
			p.write(" ")
			p.expr(s.Value, precTernary)
		}
		p.write(";")
	}
}

// ifStmt prints `if (cond) {`, with `} else if (cond) {` and `} else {`
// for the else chain.
func (p *printer) ifStmt(s *IfStmt) {
	p.write("if (")
	p.expr(s.Cond, precTernary)
	p.write(") ")
	p.block(s.Then)
	switch e := s.Else.(type) {
	case nil:
	case *IfStmt:
		if e != nil {
			p.write(" else ")
			p.ifStmt(e)
		}
	case *Block:
		p.write(" else ")
		p.block(e)
	case *ExprStmt:
		if b, ok := e.X.(*Block); ok {
			p.write(" else ")
			p.block(b)
			return
		}
		p.elseStmt(e)
	default:
		p.elseStmt(e)
	}
}

// elseStmt prints an else branch that is neither a block nor an if.
func (p *printer) elseStmt(e Stmt) {
	p.write(" else {")
	p.indent++
	p.nl()
	p.stmt(e)
	p.indent--
	p.nl()
	p.write("}")
}

// braceComments keeps comments that follow a block's `{` on its line, and
// start before its first item, at the end of the `{` line.
func (p *printer) braceComments(b *Block, l *itemList) {
	first := b.Span.End.Offset
	if len(b.Stmts) > 0 && !isNil(b.Stmts[0]) {
		first = b.Stmts[0].Range().Start.Offset
	} else if !isNil(b.Value) {
		first = b.Value.Range().Start.Offset
	}
	for i, c := range p.comments {
		st := c.Span.Start
		if p.done[i] || st.Line != b.Span.Start.Line || st.Offset <= b.Span.Start.Offset || st.Offset >= first {
			continue
		}
		p.done[i] = true
		p.write(" " + c.Text)
		l.lastLine = c.Span.End.Line
	}
}

func inRanges(c *Comment, rs []lineRange) bool {
	for _, r := range rs {
		if r.holds(c) {
			return true
		}
	}
	return false
}
