package ast

import (
	"fmt"
	"strconv"
	"strings"
)

// Dump returns a position-free, indented dump of the tree rooted at n: one
// line per node, children indented by two spaces. It is deterministic and
// shows every field that matters (operators, names, flags, literal texts
// and values, types with their modifiers, attach point parts) but no
// positions, so golden tests can compare trees parsed from different
// spellings of the same program.
func Dump(n Node) string {
	d := &dumper{}
	d.node(n, 0)
	return d.b.String()
}

type dumper struct {
	b strings.Builder
}

func (d *dumper) line(depth int, format string, args ...any) {
	d.b.WriteString(strings.Repeat("  ", depth))
	fmt.Fprintf(&d.b, format, args...)
	d.b.WriteByte('\n')
}

// opt dumps an optional child under a label line, or nothing when absent.
func (d *dumper) opt(depth int, label string, n Node) {
	if isNil(n) {
		return
	}
	d.line(depth, "%s", label)
	d.node(n, depth+1)
}

func (d *dumper) exprs(list []Expr, depth int) {
	for _, x := range list {
		d.node(x, depth)
	}
}

// TypeString returns the canonical spelling of t: the base followed by its
// modifiers, e.g. `int32*[4]`, `struct task_struct *`, `uint8[]`, or
// `typeof(...)` with the expression formatted.
func TypeString(t *Type) string {
	if t == nil {
		return ""
	}
	var b strings.Builder
	if t.Typeof != nil {
		b.WriteString("typeof(" + FormatNode(t.Typeof) + ")")
	} else {
		b.WriteString(t.Base)
	}
	for i, m := range t.Mods {
		switch {
		case m.Ptr:
			if i == 0 && strings.Contains(t.Base, " ") {
				b.WriteByte(' ')
			}
			b.WriteByte('*')
		case m.Len < 0:
			b.WriteString("[]")
		default:
			b.WriteString("[" + strconv.Itoa(m.Len) + "]")
		}
	}
	return b.String()
}

func (d *dumper) node(n Node, depth int) {
	if isNil(n) {
		d.line(depth, "<nil>")
		return
	}
	c := depth + 1
	switch n := n.(type) {
	case *Ident:
		d.line(depth, "ident %s", n.Name)
	case *Int:
		if n.Text == strconv.FormatUint(n.Value, 10) {
			d.line(depth, "int %s", n.Text)
		} else {
			d.line(depth, "int %q value=%d", n.Text, n.Value)
		}
	case *Str:
		if n.Text == strconv.Quote(n.Value) {
			d.line(depth, "str %q", n.Value)
		} else {
			d.line(depth, "str %q text=%q", n.Value, n.Text)
		}
	case *Bool:
		d.line(depth, "bool %t", n.Value)
	case *PositionalParam:
		d.line(depth, "param $%d", n.N)
	case *ParamCount:
		d.line(depth, "param $#")
	case *Var:
		d.line(depth, "var $%s", n.Name)
	case *Map:
		if n.Keys == nil {
			d.line(depth, "map @%s", n.Name)
		} else {
			d.line(depth, "map @%s keys=%d", n.Name, len(n.Keys))
			d.exprs(n.Keys, c)
		}
	case *Call:
		bang := ""
		if n.Bang {
			bang = "!"
		}
		d.line(depth, "call %s%s", n.Name, bang)
		d.exprs(n.Args, c)
	case *Unary:
		d.line(depth, "unary %s", n.Op)
		d.node(n.X, c)
	case *IncDec:
		if n.Post {
			d.line(depth, "incdec post %s", n.Op)
		} else {
			d.line(depth, "incdec pre %s", n.Op)
		}
		d.node(n.X, c)
	case *Binary:
		d.line(depth, "binary %s", n.Op)
		d.node(n.X, c)
		d.node(n.Y, c)
	case *Ternary:
		if n.Then == nil {
			d.line(depth, "ternary short")
			d.node(n.Cond, c)
		} else {
			d.line(depth, "ternary")
			d.node(n.Cond, c)
			d.node(n.Then, c)
		}
		d.node(n.Else, c)
	case *Cast:
		d.line(depth, "cast")
		d.node(n.Type, c)
		d.node(n.X, c)
	case *Field:
		if n.Arrow {
			d.line(depth, "field ->%s", n.Name)
		} else {
			d.line(depth, "field .%s", n.Name)
		}
		d.node(n.X, c)
	case *Index:
		d.line(depth, "index")
		d.node(n.X, c)
		d.node(n.Index, c)
	case *Tuple:
		d.line(depth, "tuple elems=%d", len(n.Elems))
		d.exprs(n.Elems, c)
	case *Record:
		d.line(depth, "record")
		for _, f := range n.Fields {
			d.node(f, c)
		}
	case *RecordField:
		d.line(depth, "recfield %s", n.Name)
		d.node(n.Value, c)
	case *Block:
		d.line(depth, "block")
		for _, s := range n.Stmts {
			d.node(s, c)
		}
		d.opt(c, "value", n.Value)
	case *Sizeof:
		d.line(depth, "sizeof")
		d.opt(c, "type", n.Type)
		d.opt(c, "expr", n.X)
	case *Offsetof:
		d.line(depth, "offsetof %s", strings.Join(n.Field, "."))
		d.opt(c, "type", n.Type)
		d.opt(c, "expr", n.X)
	case *Typeinfo:
		d.line(depth, "typeinfo")
		d.opt(c, "type", n.Type)
		d.opt(c, "expr", n.X)
	case *Comptime:
		d.line(depth, "comptime")
		d.node(n.X, c)
	case *RangeExpr:
		d.line(depth, "range")
		d.node(n.Lo, c)
		d.node(n.Hi, c)
	case *Type:
		d.dumpType(n, depth)
	default:
		d.stmtOrDecl(n, depth)
	}
}

func (d *dumper) dumpType(t *Type, depth int) {
	var mods strings.Builder
	for _, m := range t.Mods {
		switch {
		case m.Ptr:
			mods.WriteByte('*')
		case m.Len < 0:
			mods.WriteString("[]")
		default:
			fmt.Fprintf(&mods, "[%d]", m.Len)
		}
	}
	if t.Typeof != nil {
		d.line(depth, "type %q typeof%s", t.Base, mods.String())
		d.node(t.Typeof, depth+1)
		return
	}
	d.line(depth, "type %q%s", t.Base, mods.String())
}
