package ast

import (
	"strconv"
	"strings"
)

// stmtOrDecl dumps statements, declarations and their helper nodes.
func (d *dumper) stmtOrDecl(n Node, depth int) {
	c := depth + 1
	switch n := n.(type) {
	case *ExprStmt:
		d.line(depth, "expr")
		d.node(n.X, c)
	case *AssignStmt:
		d.line(depth, "assign %s", n.Op)
		d.node(n.Target, c)
		d.node(n.Value, c)
	case *LetStmt:
		d.line(depth, "let")
		d.node(n.Var, c)
		d.opt(c, "type", n.Type)
		d.opt(c, "value", n.Value)
	case *DiscardStmt:
		d.line(depth, "discard")
		d.node(n.X, c)
	case *IfStmt:
		if n.Paren {
			d.line(depth, "if paren")
		} else {
			d.line(depth, "if")
		}
		d.node(n.Cond, c)
		d.node(n.Then, c)
		d.opt(c, "else", n.Else)
	case *UnrollStmt:
		d.line(depth, "unroll")
		d.node(n.Count, c)
		d.node(n.Body, c)
	case *WhileStmt:
		d.line(depth, "while")
		d.node(n.Cond, c)
		d.node(n.Body, c)
	case *ForStmt:
		d.line(depth, "for")
		d.node(n.Var, c)
		d.node(n.Iter, c)
		d.node(n.Body, c)
	case *JumpStmt:
		d.line(depth, "%s", n.Kind)
		d.opt(c, "value", n.Value)

	case *Program:
		d.line(depth, "program %q", n.Filename)
		if n.Shebang != "" {
			d.line(c, "shebang %q", n.Shebang)
		}
		for _, x := range n.Decls {
			d.node(x, c)
		}
		for _, x := range n.Comments {
			d.node(x, c)
		}
	case *Comment:
		d.line(depth, "comment %q", n.Text)
	case *CPreproc:
		d.line(depth, "cpreproc %q", n.Text)
	case *CDefinition:
		d.line(depth, "cdef %s %s", n.Kind, strconv.Quote(n.Name))
		d.line(c, "text %q", n.Text)
		for _, f := range n.Fields {
			d.node(f, c)
		}
	case *CField:
		dims := make([]string, len(n.Dims))
		for i, x := range n.Dims {
			dims[i] = strconv.Itoa(x)
		}
		d.line(depth, "cfield %q %q dims=[%s] bits=%d value=%q",
			n.Type, n.Name, strings.Join(dims, " "), n.Bits, n.Value)
	case *Config:
		d.line(depth, "config")
		for _, it := range n.Items {
			d.node(it, c)
		}
	case *ConfigItem:
		d.line(depth, "item %s", n.Key)
		d.node(n.Value, c)
	case *Import:
		d.line(depth, "import %q", n.Path)
	case *MapDecl:
		d.line(depth, "mapdecl %s %d", n.Kind, n.MaxEntries)
		d.node(n.Map, c)
	case *Macro:
		d.line(depth, "macro %s", n.Name)
		d.exprs(n.Params, c)
		d.node(n.Body, c)
	case *Subprog:
		d.line(depth, "fn %s", n.Name)
		for _, p := range n.Params {
			d.node(p, c)
		}
		d.opt(c, "result", n.Result)
		d.node(n.Body, c)
	case *Param:
		d.line(depth, "fnparam")
		d.node(n.Var, c)
		d.node(n.Type, c)
	case *Probe:
		if n.Name != "" {
			d.line(depth, "probe name=%s", n.Name)
		} else {
			d.line(depth, "probe")
		}
		for _, ap := range n.AttachPoints {
			d.node(ap, c)
		}
		d.opt(c, "pred", n.Pred)
		d.node(n.Body, c)
	case *AttachPoint:
		parts := make([]string, len(n.Parts))
		for i, p := range n.Parts {
			parts[i] = strconv.Quote(p)
			if i < len(n.Quoted) && n.Quoted[i] {
				parts[i] = "quoted:" + parts[i]
			}
		}
		d.line(depth, "attach %s (%s) %q parts=[%s]",
			n.Provider, n.ProviderText, n.Raw, strings.Join(parts, " "))
	default:
		d.line(depth, "unknown %T", n)
	}
}
