package types

import (
	"github.com/gobpftrace/gobpftrace/ast"
)

// use tells how an expression's value is used; some calls care (count()
// must be assigned to a map, printf() may not be assigned at all).
type use int

const (
	useExpr     use = iota // an operand
	useStmt                // an expression statement: the value is dropped
	useMapValue            // directly assigned to a map
	useVarValue            // directly assigned to a variable
	useMapKey              // directly a map key
	usePrint               // an argument printf or print formats
)

func (c *checker) block(b *ast.Block) {
	for i, s := range b.Stmts {
		c.stmt(s)
		if j, ok := s.(*ast.JumpStmt); ok && (i < len(b.Stmts)-1 || b.Value != nil) {
			c.warnf(j.Span, "All code after a '%s' is unreachable.", j.Kind)
		}
	}
	if b.Value != nil {
		c.expr(b.Value, useStmt)
	}
}

func (c *checker) stmt(s ast.Stmt) {
	switch s := s.(type) {
	case *ast.ExprStmt:
		if b, ok := s.X.(*ast.Block); ok {
			c.block(b)
			return
		}
		c.expr(s.X, useStmt)
	case *ast.AssignStmt:
		switch t := s.Target.(type) {
		case *ast.Var:
			c.assignVar(s, t)
		case *ast.Map:
			c.assignMap(s, t)
		default:
			c.expr(s.Value, useExpr)
			c.errorf(s.Target.Range(), "only variables and maps can be assigned to")
		}
	case *ast.LetStmt:
		c.let(s)
	case *ast.DiscardStmt:
		c.expr(s.X, useExpr)
	case *ast.IfStmt:
		c.cond(s.Cond, "if()")
		c.block(s.Then)
		if s.Else != nil {
			if b, ok := s.Else.(*ast.Block); ok {
				c.block(b)
			} else {
				c.stmt(s.Else)
			}
		}
	case *ast.UnrollStmt:
		c.expr(s.Count, useExpr)
		if n, ok := s.Count.(*ast.Int); !ok {
			c.errorf(s.Span, "invalid unroll value")
		} else if n.Value > 100 {
			c.errorf(s.Span, "unroll maximum value is 100")
		} else if n.Value < 1 {
			c.errorf(s.Span, "unroll minimum value is 1")
		}
		c.block(s.Body)
	case *ast.WhileStmt:
		c.cond(s.Cond, "while()")
		c.loops++
		c.block(s.Body)
		c.loops--
	case *ast.ForStmt:
		c.errorf(s.Span, "for loops are not supported yet")
	case *ast.JumpStmt:
		if (s.Kind == "break" || s.Kind == "continue") && c.loops == 0 {
			c.errorf(s.Span, "%s used outside of a loop", s.Kind)
		}
		if s.Value != nil {
			c.expr(s.Value, useExpr)
			c.errorf(s.Value.Range(), "return with a value is not supported yet")
		}
	default:
		c.errorf(s.Range(), "this statement is not supported yet")
	}
}

// cond checks the condition of an if or while: an integer (0.17 rejects
// pointers and strings here).
func (c *checker) cond(e ast.Expr, what string) {
	n := c.nerr()
	t := c.expr(e, useExpr)
	if t.Kind != Int && c.nerr() == n {
		c.errorf(e.Range(), "Invalid condition in %s: %s%s", what, t.Kind, c.interfaceHint(e))
	}
}

func (c *checker) assignVar(s *ast.AssignStmt, v *ast.Var) {
	n := c.nerr()
	var t *Type
	if s.Op == "=" {
		t = c.expr(s.Value, useVarValue)
	} else {
		t = c.compound(s)
	}
	c.uses = append(c.uses, v)
	c.record(v, t)
	if id, ok := s.Value.(*ast.Ident); ok && (id.Name == "args" && c.singleProvider() == "uprobe" || id.Name == "rets" && c.info.GoValues[id] != nil) {
		c.errorf(s.OpSpan, "%s cannot be assigned to a variable", id.Name)
	}
	c.setVar(v.Name, t, s.OpSpan, s.Value.Range(), c.nerr() > n)
}

// setVar stores a value of type t into variable name.
func (c *checker) setVar(name string, t *Type, eq, value ast.Span, failed bool) {
	old, ok := c.vars[name]
	if t.IsNone() {
		if !failed {
			c.errorf(value, "Invalid expression for assignment: none")
		}
		if !ok {
			c.vars[name] = TypeNone
		}
		return
	}
	switch {
	case !ok || old.IsNone():
		c.vars[name] = t
	case old.Kind == String && t.Kind == String:
		c.vars[name] = widen(old, t)
	case old.Kind == Tuple && t.Kind == Tuple:
		if w := widen(old, t); w != nil {
			c.vars[name] = w
		} else {
			c.errorf(eq, "Tuple type mismatch: %s != %s.", old, t)
		}
	case !sameType(old, t):
		c.errorf(eq, "Type mismatch for $%s: trying to assign value of type '%s' when variable already contains a value of type '%s'", name, t, old)
	}
}

// sameType is 0.17's IsSameType: same kind, same record name, pointers to
// the same type; sizes do not matter, but for floats, whose bits a
// variable carries unconverted (float32 and float64 do not mix).
func sameType(a, b *Type) bool {
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case Float:
		return a.Size == b.Size
	case Record:
		return a.Name == b.Name
	case Pointer:
		return sameType(a.Elem, b.Elem)
	}
	return true
}

// compound checks `target op= value` as `target op value`.
func (c *checker) compound(s *ast.AssignStmt) *Type {
	op := s.Op[:len(s.Op)-1]
	if m, ok := s.Target.(*ast.Map); ok {
		c.defineIfMissing(m, TypeInt64)
	}
	x := c.expr(s.Target, useExpr)
	y := c.expr(s.Value, useExpr)
	return c.binaryTypes(&ast.Binary{Span: s.Span, Op: op, X: s.Target, Y: s.Value, OpPos: s.Span}, x, y)
}

func (c *checker) assignMap(s *ast.AssignStmt, m *ast.Map) {
	n := c.nerr()
	var t *Type
	if s.Op == "=" {
		c.mapKeys(m, true)
		t = c.expr(s.Value, useMapValue)
	} else {
		t = c.compound(s)
	}
	if call, ok := s.Value.(*ast.Call); ok && c.info.Calls[call] != nil && t.Kind.IsAggregation() {
		c.info.Calls[call].Map = m.Name
	}
	if t.IsNone() {
		if c.nerr() == n {
			c.errorf(s.Value.Range(), "Invalid expression for assignment: none")
		}
		c.record(m, t)
		return
	}
	c.storeMap(m, t, s.OpSpan)
	c.record(m, c.maps[m.Name].Value)
}

func (c *checker) let(s *ast.LetStmt) {
	var t *Type
	if s.Type != nil {
		t = c.typeName(s.Type)
		if t.IsNone() {
			c.errorf(s.Type.Span, "Unknown type: '%s'", s.Type.Base)
			return
		}
	}
	if s.Value != nil {
		n := c.nerr()
		vt := c.expr(s.Value, useVarValue)
		if t == nil {
			t = vt
		} else if !vt.IsNone() && !sameType(t, vt) && c.nerr() == n {
			c.errorf(s.Value.Range(), "Type mismatch for $%s: trying to assign value of type '%s' when variable already contains a value of type '%s'", s.Var.Name, vt, t)
		}
	}
	if t == nil {
		c.errorf(s.Span, "let without a type or a value is not supported yet")
		t = TypeNone
	}
	c.uses = append(c.uses, s.Var)
	c.record(s.Var, t)
	if _, ok := c.vars[s.Var.Name]; ok {
		c.errorf(s.Var.Span, "Variable $%s was already declared", s.Var.Name)
	}
	c.vars[s.Var.Name] = t
}
