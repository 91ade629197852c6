package types

import (
	"math"
	"strconv"

	"github.com/gobpftrace/gobpftrace/ast"
)

// StringSize is bpftrace's default string buffer size (BPFTRACE_STRLEN).
const StringSize = 64

// expr checks e and returns its type (TypeNone after an error).
func (c *checker) expr(e ast.Expr, u use) *Type {
	return c.floatUse(e, c.exprType(e, u), u)
}

// exprType is expr without the check of where floats may go.
func (c *checker) exprType(e ast.Expr, u use) *Type {
	switch e := e.(type) {
	case *ast.Int:
		if e.Value > math.MaxInt64 {
			return c.record(e, TypeUint64)
		}
		return c.record(e, TypeInt64)
	case *ast.Str:
		if len(e.Value) > StringSize-1 {
			c.errorf(e.Span, "String is too long (over %d bytes): %s", StringSize, e.Value)
		}
		return c.record(e, StringType(len(e.Value)+1))
	case *ast.Bool:
		return c.record(e, IntType(1, false))
	case *ast.PositionalParam:
		return c.record(e, c.positional(e, false))
	case *ast.ParamCount:
		return c.record(e, TypeInt64)
	case *ast.Var:
		c.uses = append(c.uses, e)
		t, ok := c.vars[e.Name]
		if !ok {
			c.errorf(e.Span, "Undefined or undeclared variable: $%s", e.Name)
			return c.record(e, TypeNone)
		}
		return c.record(e, t)
	case *ast.Map:
		return c.readMap(e)
	case *ast.Ident:
		return c.record(e, c.ident(e))
	case *ast.Call:
		return c.record(e, c.call(e, u))
	case *ast.Unary:
		return c.record(e, c.unary(e))
	case *ast.IncDec:
		return c.record(e, c.incdec(e))
	case *ast.Binary:
		x := c.expr(e.X, useExpr)
		y := c.expr(e.Y, useExpr)
		return c.record(e, c.binaryTypes(e, x, y))
	case *ast.Ternary:
		return c.record(e, c.ternary(e))
	case *ast.Cast:
		return c.record(e, c.cast(e))
	case *ast.Field:
		return c.record(e, c.field(e))
	case *ast.Index:
		return c.record(e, c.index(e))
	case *ast.Tuple:
		elems := make([]*Type, len(e.Elems))
		none := false
		for i, x := range e.Elems {
			elems[i] = c.expr(x, useExpr)
			none = none || elems[i].IsNone() || elems[i].Size == 0 && elems[i].Kind != Tuple
		}
		if none || len(elems) == 0 {
			return c.record(e, TypeNone)
		}
		return c.record(e, TupleOf(elems...))
	case *ast.Sizeof:
		if e.X != nil {
			t := c.expr(e.X, useExpr)
			if t.Size == 0 && !t.IsNone() {
				c.errorf(e.Span, "sizeof() of %s is not supported yet", t)
			}
		} else if t := c.typeName(e.Type); t.IsNone() {
			c.errorf(e.Type.Span, "Unknown type: '%s'", e.Type.Base)
		}
		return c.record(e, TypeUint64)
	case *ast.Block:
		c.block(e)
		if e.Value != nil {
			return c.record(e, c.info.TypeOf(e.Value))
		}
		return c.record(e, TypeNone)
	}
	c.errorf(e.Range(), "this expression is not supported yet")
	return c.record(e, TypeNone)
}

// positional types $N: an integer, or a string inside str().
func (c *checker) positional(p *ast.PositionalParam, inStr bool) *Type {
	if p.N < 1 {
		c.errorf(p.Span, "param $%d is out of integer range [1, 9223372036854775807]", p.N)
		return TypeNone
	}
	v := c.param(p.N)
	if inStr {
		return StringType(StringSize)
	}
	if _, err := strconv.ParseInt(v, 0, 64); err != nil && v != "" {
		c.errorf(p.Span, "$%d used numerically but given \"%s\". Try using str($%d).", p.N, v, p.N)
	}
	return TypeInt64
}

// isLiteral reports whether e is an integer literal ≥ 0 (bpftrace then
// lets it match an unsigned operand without a warning).
func isNonNegLiteral(e ast.Expr) bool {
	n, ok := e.(*ast.Int)
	return ok && n.Value <= math.MaxInt64
}

var comparisons = map[string]bool{"==": true, "!=": true, "<": true, ">": true, "<=": true, ">=": true}

// binaryTypes types `x op y` from its operand types.
func (c *checker) binaryTypes(b *ast.Binary, x, y *Type) *Type {
	if x.IsNone() || y.IsNone() {
		return TypeNone
	}
	if x.Kind == Pointer || y.Kind == Pointer {
		return c.pointerArith(b, x, y)
	}
	signed := x.Signed && y.Signed
	if b.Op == "<<" || b.Op == ">>" {
		signed = x.Signed
	}
	res := IntType(8, signed)
	switch {
	case x.Kind == Int && y.Kind == Int:
		c.intWarnings(b, x, y)
	case x.Kind == Array && y.Kind == Array:
		if b.Op != "==" && b.Op != "!=" {
			c.errorf(b.OpPos, "The %s operator cannot be used on arrays.", b.Op)
		}
		if x.Len != y.Len {
			c.errorf(b.OpPos, "Only arrays of same size support comparison operators.")
		}
		if x.Elem.Kind != Int || !x.Equal(y) {
			c.errorf(b.OpPos, "Only arrays of same sized integer support comparison operators.")
		}
	case x.Kind != y.Kind:
		c.errorf(ast.Join(b.X.Range(), b.Y.Range()), "Type mismatch for '%s': comparing '%s' with '%s'", b.Op, x, y)
		return TypeNone
	case b.Op != "==" && b.Op != "!=":
		c.errorf(b.OpPos, "The %s operator can not be used on expressions of types %s, %s", b.Op, x, y)
		return TypeNone
	case x.Kind == String:
		lit, other := b.X, y
		if _, ok := lit.(*ast.Str); !ok {
			lit, other = b.Y, x
		}
		_, xs := b.X.(*ast.Str)
		_, ys := b.Y.(*ast.Str)
		if s, ok := lit.(*ast.Str); ok && xs != ys && b.Op == "==" && len(s.Value) > other.Size {
			c.warnf(ast.Join(b.X.Range(), b.Y.Range()), "The literal is longer than the variable string (size=%d), condition will always be false", other.Size)
		}
	}
	return res
}

// intWarnings gives 0.17's warnings about mixing signs and signed division.
func (c *checker) intWarnings(b *ast.Binary, x, y *Type) {
	ls, rs := x.Signed, y.Signed
	if ls != rs {
		switch {
		case ls && isNonNegLiteral(b.X):
			ls = false
		case rs && isNonNegLiteral(b.Y):
			rs = false
		case comparisons[b.Op]:
			c.warnf(b.OpPos, "comparison of integers of different signs: '%s' and '%s' can lead to undefined behavior", x, y)
		case b.Op == "+" || b.Op == "-" || b.Op == "*" || b.Op == "/" || b.Op == "%":
			c.warnf(b.OpPos, "arithmetic on integers of different signs: '%s' and '%s' can lead to undefined behavior", x, y)
		}
	}
	if b.Op == "/" || b.Op == "%" {
		if ls && isNonNegLiteral(b.X) {
			ls = false
		}
		if rs && isNonNegLiteral(b.Y) {
			rs = false
		}
		if ls || rs {
			c.warnf(b.OpPos, "signed operands for '%s' can lead to undefined behavior (cast to unsigned to silence warning)", b.Op)
		}
	}
}

func (c *checker) pointerArith(b *ast.Binary, x, y *Type) *Type {
	ptr, other, left := x, y, true
	if x.Kind != Pointer {
		ptr, other, left = y, x, false
	}
	invalid := func() *Type {
		c.errorf(b.OpPos, "The %s operator can not be used on expressions of types %s, %s", b.Op, x, y)
		return TypeNone
	}
	switch {
	case other.Kind == Pointer:
		if !comparisons[b.Op] {
			return invalid()
		}
		if !x.Elem.Equal(y.Elem) {
			c.warnf(ast.Join(b.X.Range(), b.Y.Range()), "comparison of distinct pointer types ('%s, '%s')", x.Elem, y.Elem)
		}
		return TypeUint64
	case other.Kind == Int:
		switch {
		case b.Op == "-" && !left:
			return invalid()
		case b.Op == "+" || b.Op == "-":
			return ptr
		case comparisons[b.Op]:
			return TypeInt64
		}
	}
	return invalid()
}

// opSpan is the span of a prefix or postfix operator token starting at p.
func opSpan(lead, p ast.Pos, op string) ast.Span {
	end := p
	end.Offset += len(op)
	end.Col += len(op)
	return ast.Span{Lead: lead, Start: p, End: end}
}

func (c *checker) unary(u *ast.Unary) *Type {
	n := c.nerr()
	t := c.expr(u.X, useExpr)
	span := opSpan(u.Span.Lead, u.Span.Start, u.Op)
	if t.IsNone() {
		return TypeNone
	}
	if u.Op == "&" {
		c.errorf(span, "The & operator is not supported yet")
		return TypeNone
	}
	if t.Kind != Int && !(t.Kind == Pointer && u.Op == "*") {
		if c.nerr() == n {
			c.errorf(span, "The %s operator can not be used on expressions of type '%s'", u.Op, t)
		}
		return TypeNone
	}
	switch u.Op {
	case "*":
		if t.Kind == Pointer {
			return t.Elem
		}
		return TypeUint64
	case "!":
		return IntType(t.Size, false)
	}
	return IntType(8, t.Signed)
}

func (c *checker) incdec(e *ast.IncDec) *Type {
	span := opSpan(e.Span.Lead, e.Span.Start, e.Op)
	if e.Post {
		span = opSpan(e.X.Range().End, e.X.Range().End, e.Op)
	}
	switch x := e.X.(type) {
	case *ast.Map:
		c.defineIfMissing(x, TypeInt64)
	case *ast.Var:
	default:
		c.expr(e.X, useExpr)
		c.errorf(span, "The %s operator must be applied to a map or variable", e.Op)
		return TypeNone
	}
	t := c.expr(e.X, useExpr)
	if t.IsNone() {
		return TypeNone
	}
	if t.Kind == Pointer {
		return t
	}
	if t.Kind != Int {
		c.errorf(span, "The %s operator can not be used on expressions of type '%s'", e.Op, t)
		return TypeNone
	}
	return IntType(8, t.Signed)
}

func (c *checker) ternary(e *ast.Ternary) *Type {
	n := c.nerr()
	cond := c.expr(e.Cond, useExpr)
	then := cond
	if e.Then != nil {
		then = c.expr(e.Then, useExpr)
	}
	els := c.expr(e.Else, useExpr)
	if c.nerr() != n || cond.IsNone() || then.IsNone() || els.IsNone() {
		return TypeNone
	}
	ok := true
	if then.Kind != els.Kind {
		c.errorf(e.Span, "Ternary operator must return the same type: have '%s' and '%s'", then.Kind, els.Kind)
		ok = false
	}
	if cond.Kind != Int {
		c.errorf(e.Span, "Invalid condition in ternary: %s", cond.Kind)
		ok = false
	}
	if !ok {
		return TypeNone
	}
	switch then.Kind {
	case String:
		return StringType(max(then.Size, els.Size))
	case Int:
		return IntType(8, then.Signed)
	case Tuple:
		if w := widen(then, els); w != nil {
			return w
		}
		c.errorf(e.Span, "Ternary operator must return the same type: have '%s' and '%s'", then, els)
		return TypeNone
	}
	if !then.Equal(els) {
		c.errorf(e.Span, "Ternary operator must return the same type: have '%s' and '%s'", then, els)
		return TypeNone
	}
	return then
}
