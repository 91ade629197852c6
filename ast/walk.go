package ast

import "reflect"

// A Visitor's Visit method is invoked for each node encountered by Walk. If
// the result visitor w is not nil, Walk visits each of the children of node
// with w, followed by a call of w.Visit(nil).
type Visitor interface {
	Visit(n Node) (w Visitor)
}

// Walk traverses a tree in depth-first order, like go/ast.Walk: it starts
// by calling v.Visit(n); if the returned visitor w is not nil, Walk is
// invoked recursively with w for each non-nil child of n, in source order,
// followed by a call of w.Visit(nil).
//
// A Program's comments are visited after its declarations.
func Walk(v Visitor, n Node) {
	if isNil(n) {
		return
	}
	if v = v.Visit(n); v == nil {
		return
	}
	walkChildren(v, n)
	v.Visit(nil)
}

// isNil reports whether n is nil or a typed nil pointer, so that optional
// children (a nil *Type, a nil Expr) are skipped.
func isNil(n Node) bool {
	if n == nil {
		return true
	}
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

func walkExprs(v Visitor, list []Expr) {
	for _, x := range list {
		Walk(v, x)
	}
}

func walkChildren(v Visitor, n Node) {
	switch n := n.(type) {
	// Expressions.
	case *Ident, *Int, *Str, *Bool, *PositionalParam, *ParamCount, *Var:
	case *Map:
		walkExprs(v, n.Keys)
	case *Call:
		walkExprs(v, n.Args)
	case *Unary:
		Walk(v, n.X)
	case *IncDec:
		Walk(v, n.X)
	case *Binary:
		Walk(v, n.X)
		Walk(v, n.Y)
	case *Ternary:
		Walk(v, n.Cond)
		Walk(v, n.Then)
		Walk(v, n.Else)
	case *Cast:
		Walk(v, n.Type)
		Walk(v, n.X)
	case *Field:
		Walk(v, n.X)
	case *Index:
		Walk(v, n.X)
		Walk(v, n.Index)
	case *Tuple:
		walkExprs(v, n.Elems)
	case *Record:
		for _, f := range n.Fields {
			Walk(v, f)
		}
	case *RecordField:
		Walk(v, n.Value)
	case *Block:
		for _, s := range n.Stmts {
			Walk(v, s)
		}
		Walk(v, n.Value)
	case *Sizeof:
		Walk(v, n.Type)
		Walk(v, n.X)
	case *Offsetof:
		Walk(v, n.Type)
		Walk(v, n.X)
	case *Typeinfo:
		Walk(v, n.Type)
		Walk(v, n.X)
	case *Comptime:
		Walk(v, n.X)
	case *RangeExpr:
		Walk(v, n.Lo)
		Walk(v, n.Hi)
	case *Type:
		Walk(v, n.Typeof)

	// Statements.
	case *ExprStmt:
		Walk(v, n.X)
	case *AssignStmt:
		Walk(v, n.Target)
		Walk(v, n.Value)
	case *LetStmt:
		Walk(v, n.Var)
		Walk(v, n.Type)
		Walk(v, n.Value)
	case *DiscardStmt:
		Walk(v, n.X)
	case *IfStmt:
		Walk(v, n.Cond)
		Walk(v, n.Then)
		Walk(v, n.Else)
	case *UnrollStmt:
		Walk(v, n.Count)
		Walk(v, n.Body)
	case *WhileStmt:
		Walk(v, n.Cond)
		Walk(v, n.Body)
	case *ForStmt:
		Walk(v, n.Var)
		Walk(v, n.Iter)
		Walk(v, n.Body)
	case *JumpStmt:
		Walk(v, n.Value)

	// Declarations.
	case *Program:
		for _, d := range n.Decls {
			Walk(v, d)
		}
		for _, c := range n.Comments {
			Walk(v, c)
		}
	case *Comment, *CPreproc, *Import, *CField, *AttachPoint:
	case *CDefinition:
		for _, f := range n.Fields {
			Walk(v, f)
		}
	case *Config:
		for _, it := range n.Items {
			Walk(v, it)
		}
	case *ConfigItem:
		Walk(v, n.Value)
	case *MapDecl:
		Walk(v, n.Map)
	case *Macro:
		walkExprs(v, n.Params)
		Walk(v, n.Body)
	case *Subprog:
		for _, p := range n.Params {
			Walk(v, p)
		}
		Walk(v, n.Result)
		Walk(v, n.Body)
	case *Param:
		Walk(v, n.Var)
		Walk(v, n.Type)
	case *Probe:
		for _, ap := range n.AttachPoints {
			Walk(v, ap)
		}
		Walk(v, n.Pred)
		Walk(v, n.Body)
	}
}

type inspector func(Node) bool

func (f inspector) Visit(n Node) Visitor {
	if f(n) {
		return f
	}
	return nil
}

// Inspect traverses a tree in depth-first order: it starts by calling
// f(n); if f returns true, Inspect invokes f recursively for each non-nil
// child of n, followed by a call of f(nil).
func Inspect(n Node, f func(Node) bool) {
	Walk(inspector(f), n)
}
