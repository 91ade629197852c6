package types

import (
	"strconv"

	"github.com/gobpftrace/gobpftrace/ast"
)

// intNames are the integer type names of casts.
var intNames = map[string]*Type{
	"int8": IntType(1, true), "int16": IntType(2, true), "int32": IntType(4, true), "int64": IntType(8, true),
	"uint8": IntType(1, false), "uint16": IntType(2, false), "uint32": IntType(4, false), "uint64": IntType(8, false),
}

// typeName resolves a written type (casts, let, sizeof): the integer
// names, `string`, `struct X`, with `*` and `[N]` modifiers. It returns
// TypeNone for unknown names.
func (c *checker) typeName(t *ast.Type) *Type {
	var base *Type
	switch {
	case intNames[t.Base] != nil:
		base = intNames[t.Base]
	case t.Base == "string":
		base = StringType(StringSize)
	case t.Base == "bool":
		base = IntType(1, false)
	case len(t.Base) > 7 && (t.Base[:7] == "struct " || t.Base[:6] == "union "):
		base = RecordType(t.Base)
	default:
		return TypeNone
	}
	for _, m := range t.Mods {
		if m.Ptr {
			base = PointerTo(base)
		} else if m.Len >= 0 {
			base = ArrayOf(base, m.Len)
		} else {
			base = &Type{Kind: Array, Elem: base, Len: -1}
		}
	}
	return base
}

func (c *checker) cast(e *ast.Cast) *Type {
	n := c.nerr()
	x := c.expr(e.X, useExpr)
	end := e.Type.Span.End
	end.Offset++
	end.Col++
	span := ast.Span{Lead: e.Span.Lead, Start: e.Span.Start, End: end}
	if x.IsNone() {
		if c.nerr() == n {
			c.errorf(span, "Cannot cast from \"none\" type")
		}
		return TypeNone
	}
	if x.Kind == Record {
		c.errorf(span, "Cannot cast from struct type \"%s\"", x)
		return TypeNone
	}
	t := c.typeName(e.Type)
	switch {
	case t.IsNone():
		c.errorf(span, "Unknown struct/union: '%s'", e.Type.Base)
		return TypeNone
	case t.Kind == Record:
		c.errorf(span, "Cannot cast to struct type \"%s\"", t)
		return TypeNone
	case t.Kind == Int:
		if x.Kind != Int && x.Kind != Pointer && !(x.Kind == Array && x.Size == t.Size) {
			c.errorf(span, "Casts are not supported for type: \"%s\"", x)
			return TypeNone
		}
	case t.Kind == Pointer:
		if x.Kind != Int && x.Kind != Pointer {
			c.errorf(span, "Casts are not supported for type: \"%s\"", x)
			return TypeNone
		}
	case t.Kind == Array:
		if t.Elem.Kind != Int || x.Kind != Int && x.Kind != Array {
			c.errorf(span, "Cannot cast from \"%s\" to \"%s\"", x, e.Type.Base)
			return TypeNone
		}
		if t.Len < 0 && x.Size%t.Elem.Size == 0 {
			t = ArrayOf(t.Elem, x.Size/t.Elem.Size)
		}
		if t.Size != x.Size {
			c.errorf(span, "Cannot cast from \"%s\" to \"%s\"", x, t)
			return TypeNone
		}
	default:
		c.errorf(span, "Cannot cast to \"%s\"", t)
		return TypeNone
	}
	return t
}

func (c *checker) field(e *ast.Field) *Type {
	n := c.nerr()
	x := c.expr(e.X, useExpr)
	if x.IsNone() {
		return TypeNone
	}
	if v := c.info.GoValues[e.X]; v != nil {
		return c.goField(e, v)
	}
	if v := c.info.TpFields[e.X]; v != nil && v.Root {
		return c.tpField(e)
	}
	what := "field '" + e.Name + "'"
	idx, err := strconv.Atoi(e.Name)
	if err == nil {
		what = "index " + e.Name
	}
	switch {
	case x.Kind == Pointer && !e.Arrow:
		c.errorf(e.Span, "Can not access field '%s' on type '%s'. Try dereferencing it first, or using '->'", e.Name, x)
	case x.Kind == Tuple && err == nil:
		if idx >= len(x.Fields) {
			c.errorf(e.Span, "Invalid tuple index: %d. Found %d elements in tuple.", idx, len(x.Fields))
			return TypeNone
		}
		return x.Fields[idx].Type
	case x.Kind == Tuple:
		c.errorf(e.Span, "Tuples must be indexed with a constant and non-negative integer")
	case x.Kind == Record || x.Kind == Pointer && x.Elem.Kind == Record:
		c.errorf(e.Span, "field access on '%s' is not supported yet (no BTF)", x)
	case c.nerr() == n:
		c.errorf(e.Span, "Can not access %s on expression of type '%s'", what, x)
	}
	return TypeNone
}

func (c *checker) index(e *ast.Index) *Type {
	x := c.expr(e.X, useExpr)
	i := c.expr(e.Index, useExpr)
	if x.IsNone() || i.IsNone() {
		return TypeNone
	}
	if v := c.info.GoValues[e.X]; v != nil {
		return c.goIndex(e, v)
	}
	if x.Kind != Array && x.Kind != Pointer {
		c.errorf(e.Span, "The array index operator [] can only be used on arrays and pointers, found %s.", x.Kind)
		return TypeNone
	}
	lit, ok := e.Index.(*ast.Int)
	if !ok {
		c.errorf(e.Span, "The array index operator [] only accepts literal integer indices.")
		return TypeNone
	}
	if x.Kind == Array && x.Len >= 0 && lit.Value >= uint64(x.Len) {
		c.errorf(e.Span, "the index %d is out of bounds for array of size %d", lit.Value, x.Len)
		return TypeNone
	}
	if x.Elem.Size == 0 {
		c.errorf(e.Span, "The array index operator [] cannot be used on a pointer to an unsized type (void *).")
		return TypeNone
	}
	return x.Elem
}
