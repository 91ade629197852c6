package ast

// Stmt is a statement inside a block.
type Stmt interface {
	Node
	stmtNode()
}

// ExprStmt is an expression used as a statement: `printf(...);`, `$x++;`,
// a block `{ ... }` or a ternary with side effects.
type ExprStmt struct {
	Span Span
	X    Expr
}

// AssignStmt is `target = value` or a compound assignment `target op=
// value`. Target is a *Var or a *Map. Op is "=", "+=", "-=", "*=", "/=",
// "%=", "&=", "|=", "^=", "<<=" or ">>=".
type AssignStmt struct {
	Span   Span
	Target Expr
	Op     string
	Value  Expr
	OpSpan Span // the operator token, where bpftrace points assignment errors
}

// LetStmt declares a scratch variable: `let $x;`, `let $x = v;`,
// `let $x: type = v;`. Type and Value may be nil.
type LetStmt struct {
	Span  Span
	Var   *Var
	Type  *Type
	Value Expr
}

// DiscardStmt is `_ = x;`: evaluate x and drop its value without a warning.
type DiscardStmt struct {
	Span Span
	X    Expr
}

// IfStmt is `if cond { } else ...`. Else is nil, a *Block, or an *IfStmt for
// `else if`. Paren records whether the condition was written in
// parentheses; the formatter always writes them.
type IfStmt struct {
	Span  Span
	Cond  Expr
	Paren bool
	Then  *Block
	Else  Stmt
}

// UnrollStmt is `unroll (n) { }`.
type UnrollStmt struct {
	Span  Span
	Count Expr
	Body  *Block
}

// WhileStmt is `while (cond) { }`.
type WhileStmt struct {
	Span Span
	Cond Expr
	Body *Block
}

// ForStmt is `for ($kv : @map) { }` or `for ($i : lo..hi) { }`: Iter is a
// *Map or a *RangeExpr.
type ForStmt struct {
	Span Span
	Var  *Var
	Iter Expr
	Body *Block
}

// JumpStmt is `break`, `continue`, or `return` with an optional Value.
type JumpStmt struct {
	Span  Span
	Kind  string // "break", "continue" or "return"
	Value Expr
}

func (n *ExprStmt) Range() Span    { return n.Span }
func (n *AssignStmt) Range() Span  { return n.Span }
func (n *LetStmt) Range() Span     { return n.Span }
func (n *DiscardStmt) Range() Span { return n.Span }
func (n *IfStmt) Range() Span      { return n.Span }
func (n *UnrollStmt) Range() Span  { return n.Span }
func (n *WhileStmt) Range() Span   { return n.Span }
func (n *ForStmt) Range() Span     { return n.Span }
func (n *JumpStmt) Range() Span    { return n.Span }

func (*ExprStmt) stmtNode()    {}
func (*AssignStmt) stmtNode()  {}
func (*LetStmt) stmtNode()     {}
func (*DiscardStmt) stmtNode() {}
func (*IfStmt) stmtNode()      {}
func (*UnrollStmt) stmtNode()  {}
func (*WhileStmt) stmtNode()   {}
func (*ForStmt) stmtNode()     {}
func (*JumpStmt) stmtNode()    {}

// stmtNode makes a *Block usable as IfStmt.Else, as documented there.
func (*Block) stmtNode() {}

// stmtNode makes an *Import usable as a statement: `import "x";` inside a
// block (v0.26).
func (*Import) stmtNode() {}
