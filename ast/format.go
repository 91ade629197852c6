package ast

import (
	"sort"
	"strconv"
	"strings"
)

// Format prints p as canonical bpftrace source, in the style of `bpftrace
// --fmt`: two-space indentation, one statement per line, conditions in
// parentheses, blank lines between top-level items, and only the
// parentheses that precedence requires. Every comment of p.Comments is
// kept: before the statement or declaration it precedes, at the end of the
// line it ended in the source, or before the closing brace of its block;
// comments inside an expression move before its statement. Formatting is
// idempotent and the output parses back to the same tree.
func Format(p *Program) string {
	if p == nil {
		return ""
	}
	pr := newPrinter(p.Comments)
	pr.program(p)
	out := pr.b.String()
	if out != "" && !strings.HasSuffix(out, "\n") {
		out += "\n"
	}
	return out
}

// FormatNode prints one node (expression, statement, declaration, type,
// attach point or whole program) as bpftrace source, without comments and
// without a trailing newline.
func FormatNode(n Node) string {
	if isNil(n) {
		return ""
	}
	if prog, ok := n.(*Program); ok {
		return strings.TrimSuffix(Format(prog), "\n")
	}
	pr := newPrinter(nil)
	switch n := n.(type) {
	case Expr:
		pr.expr(n, precTernary)
	case Stmt:
		pr.stmt(n)
	case Decl:
		pr.decl(n)
	case *Type:
		pr.write(TypeString(n))
	case *AttachPoint:
		pr.write(n.Raw)
	case *Comment:
		pr.write(n.Text)
	case *RecordField:
		pr.recordField(n)
	case *ConfigItem:
		pr.configItem(n)
	case *Param:
		pr.param(n)
	case *CField:
		pr.write(n.Type + " " + n.Name)
	}
	return pr.b.String()
}

// printer writes source text with indentation and hands out comments.
type printer struct {
	b      strings.Builder
	indent int
	bol    bool // at the beginning of a line: indent before the next text

	comments []*Comment // sorted by start offset
	done     []bool
}

func newPrinter(comments []*Comment) *printer {
	cs := make([]*Comment, 0, len(comments))
	for _, c := range comments {
		if c != nil {
			cs = append(cs, c)
		}
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].Span.Start.Offset < cs[j].Span.Start.Offset })
	return &printer{comments: cs, done: make([]bool, len(cs))}
}

func (p *printer) write(s string) {
	if s == "" {
		return
	}
	if p.bol {
		p.b.WriteString(strings.Repeat("  ", p.indent))
		p.bol = false
	}
	p.b.WriteString(s)
}

func (p *printer) nl() {
	p.b.WriteByte('\n')
	p.bol = true
}

func (p *printer) program(prog *Program) {
	l := &itemList{p: p, top: true, first: true, end: -1}
	if prog.Shebang != "" {
		p.write(prog.Shebang)
		l.first = false
		l.lastLine = 1
		l.prevKind = "shebang"
	}
	for _, d := range prog.Decls {
		if isNil(d) {
			continue
		}
		d := d
		l.item(d, declKind(d), func() { p.decl(d) })
	}
	l.finish()
}

// declKind names the kind of a top-level item for blank-line decisions:
// consecutive preprocessor lines, imports or map declarations stay
// together; other declarations are always set apart by a blank line.
func declKind(d Node) string {
	switch d.(type) {
	case *CPreproc:
		return "cpreproc"
	case *Import:
		return "import"
	case *MapDecl:
		return "mapdecl"
	}
	return "decl"
}

func (p *printer) decl(d Decl) {
	switch d := d.(type) {
	case *CPreproc:
		p.verbatim(d.Span, d.Text)
	case *CDefinition:
		p.verbatim(d.Span, d.Text)
	case *Config:
		p.config(d)
	case *Import:
		p.write("import " + quote(d.Path) + ";")
	case *MapDecl:
		name := ""
		if d.Map != nil {
			name = d.Map.Name
		}
		p.write("let @" + name + " = " + d.Kind + "(" + strconv.FormatUint(d.MaxEntries, 10) + ");")
	case *Macro:
		p.write("macro " + d.Name + "(")
		p.exprList(d.Params)
		p.write(")")
		p.nl()
		p.block(d.Body)
	case *Subprog:
		p.write("fn " + d.Name + "(")
		for i, prm := range d.Params {
			if i > 0 {
				p.write(", ")
			}
			p.param(prm)
		}
		p.write(")")
		if d.Result != nil {
			p.write(": " + TypeString(d.Result))
		}
		p.nl()
		p.block(d.Body)
	case *Probe:
		p.probe(d)
	}
}

func (p *printer) param(prm *Param) {
	if prm == nil {
		return
	}
	if prm.Var != nil {
		p.write("$" + prm.Var.Name)
	}
	if prm.Type != nil {
		p.write(": " + TypeString(prm.Type))
	}
}

// verbatim prints C text as written, and retires the comments it contains.
func (p *printer) verbatim(sp Span, text string) {
	p.write(text)
	for i, c := range p.comments {
		if !p.done[i] && c.Span.Start.Offset >= sp.Start.Offset && c.Span.Start.Offset < sp.End.Offset &&
			strings.Contains(text, c.Text) {
			p.done[i] = true
		}
	}
}

// lineRange is the part of a source line, from an offset up to another,
// where comments stay at the end of the printed line.
type lineRange struct {
	line, from, to int
}

// headerRanges returns, for a probe, the ends of its attach point and
// predicate lines: comments there stay on those lines.
func headerRanges(n Node) []lineRange {
	pr, ok := n.(*Probe)
	if !ok || pr.Body == nil {
		return nil
	}
	var ends []Span
	for _, ap := range pr.AttachPoints {
		if ap != nil {
			ends = append(ends, ap.Span)
		}
	}
	if !isNil(pr.Pred) {
		ends = append(ends, pr.Pred.Range())
	}
	ends = append(ends, pr.Body.Span)
	var rs []lineRange
	for i := 0; i+1 < len(ends); i++ {
		rs = append(rs, lineRange{ends[i].End.Line, ends[i].End.Offset, ends[i+1].Start.Offset})
	}
	return rs
}

func (r lineRange) holds(c *Comment) bool {
	st := c.Span.Start
	return st.Line == r.line && st.Offset >= r.from && st.Offset < r.to
}

// lineComments appends the comments of r to the current line.
func (p *printer) lineComments(rs []lineRange, i int) {
	if i >= len(rs) {
		return
	}
	for j, c := range p.comments {
		if !p.done[j] && rs[i].holds(c) {
			p.done[j] = true
			p.write(" " + c.Text)
		}
	}
}

func (p *printer) probe(pr *Probe) {
	rs := headerRanges(pr)
	if pr.Name != "" {
		p.write(pr.Name + "=")
	}
	k := 0
	for i, ap := range pr.AttachPoints {
		if ap == nil {
			continue
		}
		if i > 0 {
			p.nl()
		}
		p.write(ap.Raw)
		if i < len(pr.AttachPoints)-1 {
			p.write(",")
		}
		p.lineComments(rs, k)
		k++
	}
	if !isNil(pr.Pred) {
		p.nl()
		p.write("/")
		p.expr(pr.Pred, precTernary)
		p.write("/")
		p.lineComments(rs, k)
	}
	p.nl()
	p.block(pr.Body)
}

func (p *printer) config(c *Config) {
	p.write("config = {")
	if len(c.Items) == 0 && !p.hasComments(c.Span) {
		p.write("}")
		return
	}
	p.indent++
	l := &itemList{p: p, first: true, end: c.Span.End.Offset}
	for _, it := range c.Items {
		if it == nil {
			continue
		}
		it := it
		l.item(it, "", func() { p.configItem(it); p.write(";") })
	}
	l.finish()
	p.indent--
	p.nl()
	p.write("}")
}

func (p *printer) configItem(it *ConfigItem) {
	p.write(it.Key + " = ")
	p.expr(it.Value, precTernary)
}
