package ast

// Node is any node of the tree. The interfaces Expr, Stmt and Decl are sealed:
// only this package defines their implementations.
type Node interface {
	// Range returns the node's source span.
	Range() Span
}

// Expr is an expression.
type Expr interface {
	Node
	exprNode()
}

// Ident is a bare identifier: a builtin (`pid`, `arg0`, `args`), an enum
// constant, a macro called without parentheses, or a config value such as
// `perf`. Later passes decide which.
type Ident struct {
	Span Span
	Name string
}

// Int is an integer literal. Text is the literal as written (`0x10`,
// `1_000`, `1e6`, `10ms`, `5UL`); Value is its value, with duration
// suffixes converted to nanoseconds.
type Int struct {
	Span  Span
	Text  string
	Value uint64
}

// Str is a string literal. Value has escapes decoded; Text is the literal as
// written, quotes included.
type Str struct {
	Span  Span
	Text  string
	Value string
}

// Bool is `true` or `false`.
type Bool struct {
	Span  Span
	Value bool
}

// PositionalParam is `$1`, `$2`, ... (N ≥ 1; `$0` is rejected by later passes).
type PositionalParam struct {
	Span Span
	N    int
}

// ParamCount is `$#`, the number of positional parameters.
type ParamCount struct {
	Span Span
}

// Var is a scratch variable, `$name` (Name excludes the `$`).
type Var struct {
	Span Span
	Name string
}

// Map is a map reference: `@name` or the anonymous map `@` (Name excludes the
// `@`, so the anonymous map has Name ""). Keys is nil for a scalar map
// (`@x`) and holds the keys as written for `@x[k]` and `@x[k1, k2]`;
// `@x[(k1, k2)]` has one Tuple key.
type Map struct {
	Span Span
	Name string
	Keys []Expr
}

// Call is a function call `name(args)`, or a macro call written with a bang,
// `name!(args)`.
type Call struct {
	Span Span
	Name string
	Bang bool
	Args []Expr
	// NameSpan is the span of the name alone, where bpftrace points its
	// "Unknown function" errors.
	NameSpan Span
}

// Unary is a prefix operator: `-x`, `!x`, `~x`, `*x` (dereference) or `&x`
// (address of).
type Unary struct {
	Span Span
	Op   string
	X    Expr
}

// IncDec is `++x`, `--x`, `x++` or `x--`.
type IncDec struct {
	Span Span
	Op   string // "++" or "--"
	Post bool
	X    Expr
}

// Binary is a binary operator: `||`, `&&`, `|`, `^`, `&`, `==`, `!=`, `<`,
// `>`, `<=`, `>=`, `<<`, `>>`, `+`, `-`, `*`, `/`, `%`.
type Binary struct {
	Span  Span
	Op    string
	X     Expr
	Y     Expr
	OpPos Span // the operator token, for diagnostics
}

// Ternary is `cond ? then : else`; Then is nil for the short form
// `cond ?: else`.
type Ternary struct {
	Span Span
	Cond Expr
	Then Expr
	Else Expr
}

// Cast is `(type)x`.
type Cast struct {
	Span Span
	Type *Type
	X    Expr
}

// Field is `x.name`, `x->name` (Arrow) or a tuple element `x.0` (Name "0").
type Field struct {
	Span  Span
	X     Expr
	Name  string
	Arrow bool
}

// Index is `x[i]` on a non-map value: arrays, pointers, tuples.
type Index struct {
	Span  Span
	X     Expr
	Index Expr
}

// Tuple is `(a, b)`, `(a,)` or `()`.
type Tuple struct {
	Span  Span
	Elems []Expr
}

// Record is `(name = a, other = b)`.
type Record struct {
	Span   Span
	Fields []*RecordField
}

// RecordField is one `name = value` of a Record.
type RecordField struct {
	Span  Span
	Name  string
	Value Expr
}

// Block is a block expression `{ stmts; value }`. Value is nil when the
// block does not end in an expression without a semicolon. Action blocks,
// loop bodies and if branches are Blocks too.
type Block struct {
	Span  Span
	Stmts []Stmt
	Value Expr
}

// Sizeof is `sizeof(type)` or `sizeof(expr)`; exactly one of Type and X is
// set.
type Sizeof struct {
	Span Span
	Type *Type
	X    Expr
}

// Offsetof is `offsetof(type, field.sub)` or `offsetof(expr, field)`;
// exactly one of Type and X is set.
type Offsetof struct {
	Span  Span
	Type  *Type
	X     Expr
	Field []string
}

// Typeinfo is `typeinfo(type)` or `typeinfo(expr)`.
type Typeinfo struct {
	Span Span
	Type *Type
	X    Expr
}

// Comptime is `comptime x`: x must be evaluated at compile time.
type Comptime struct {
	Span Span
	X    Expr
}

// RangeExpr is `lo..hi`, valid only as the iterable of a for loop.
type RangeExpr struct {
	Span Span
	Lo   Expr
	Hi   Expr
}

// Type is a type as written in casts, let declarations, fn signatures,
// sizeof and offsetof: a base name (`int32`, `string`, `struct task_struct`,
// `typeof(expr)`) followed by postfix `*` and `[N]` modifiers, read left to
// right. Base keeps the C keyword (`struct foo`, `union u`, `enum e`)
// normalised to a single space.
type Type struct {
	Span   Span
	Base   string
	Typeof Expr // set for typeof(expr); Base is then "typeof"
	Mods   []TypeMod
}

// TypeMod is one postfix type modifier: a pointer, or an array whose length
// may be omitted (`int8[]`, Len -1).
type TypeMod struct {
	Ptr bool
	Len int // array length; -1 when omitted; unused for pointers
}

func (n *Ident) Range() Span           { return n.Span }
func (n *Int) Range() Span             { return n.Span }
func (n *Str) Range() Span             { return n.Span }
func (n *Bool) Range() Span            { return n.Span }
func (n *PositionalParam) Range() Span { return n.Span }
func (n *ParamCount) Range() Span      { return n.Span }
func (n *Var) Range() Span             { return n.Span }
func (n *Map) Range() Span             { return n.Span }
func (n *Call) Range() Span            { return n.Span }
func (n *Unary) Range() Span           { return n.Span }
func (n *IncDec) Range() Span          { return n.Span }
func (n *Binary) Range() Span          { return n.Span }
func (n *Ternary) Range() Span         { return n.Span }
func (n *Cast) Range() Span            { return n.Span }
func (n *Field) Range() Span           { return n.Span }
func (n *Index) Range() Span           { return n.Span }
func (n *Tuple) Range() Span           { return n.Span }
func (n *Record) Range() Span          { return n.Span }
func (n *RecordField) Range() Span     { return n.Span }
func (n *Block) Range() Span           { return n.Span }
func (n *Sizeof) Range() Span          { return n.Span }
func (n *Offsetof) Range() Span        { return n.Span }
func (n *Typeinfo) Range() Span        { return n.Span }
func (n *Comptime) Range() Span        { return n.Span }
func (n *RangeExpr) Range() Span       { return n.Span }
func (n *Type) Range() Span            { return n.Span }

func (*Ident) exprNode()           {}
func (*Int) exprNode()             {}
func (*Str) exprNode()             {}
func (*Bool) exprNode()            {}
func (*PositionalParam) exprNode() {}
func (*ParamCount) exprNode()      {}
func (*Var) exprNode()             {}
func (*Map) exprNode()             {}
func (*Call) exprNode()            {}
func (*Unary) exprNode()           {}
func (*IncDec) exprNode()          {}
func (*Binary) exprNode()          {}
func (*Ternary) exprNode()         {}
func (*Cast) exprNode()            {}
func (*Field) exprNode()           {}
func (*Index) exprNode()           {}
func (*Tuple) exprNode()           {}
func (*Record) exprNode()          {}
func (*Block) exprNode()           {}
func (*Sizeof) exprNode()          {}
func (*Offsetof) exprNode()        {}
func (*Typeinfo) exprNode()        {}
func (*Comptime) exprNode()        {}
func (*RangeExpr) exprNode()       {}
