package ast

// Program is a whole script. Decls keeps the top-level items in source
// order; the parser enforces bpftrace's section order (C definitions, then
// config and imports, then probes, macros, fns and map declarations).
type Program struct {
	Span     Span
	Filename string
	Shebang  string // the `#!...` first line without its newline, or ""
	Decls    []Decl
	Comments []*Comment // every comment, in source order, for the formatter
}

// Decl is a top-level item.
type Decl interface {
	Node
	declNode()
}

// Comment is a `// line` or `/* block */` comment; Text includes the
// delimiters.
type Comment struct {
	Span Span
	Text string
}

// CPreproc is a C preprocessor line: `#include <linux/sched.h>`,
// `#define RED "\033[31m"`, `#ifdef ...`. Text is the whole line without
// its newline (continuation lines ending in `\` included).
type CPreproc struct {
	Span Span
	Text string
}

// CDefinition is a C type definition: `struct Name { ... };`, `union`,
// `enum`, or a typedef. Text is the source as written, up to and including
// the closing brace and an optional `;`. Kind is "struct", "union", "enum"
// or "typedef"; Name is the tag ("" for an anonymous one). Fields lists the
// members of a struct or union, and the constants of an enum, as far as
// they could be read; later passes compute layouts from them.
type CDefinition struct {
	Span   Span
	Kind   string
	Name   string
	Text   string
	Fields []*CField
}

// CField is one member of a C struct or union (Type and Name, with array
// dimensions and a bit-field width), or one enum constant (Name and an
// optional Value expression text).
type CField struct {
	Span  Span
	Type  string // C type without the declarator: "int", "struct foo *", "unsigned long"
	Name  string
	Dims  []int // array dimensions, outermost first
	Bits  int   // bit-field width, 0 when not a bit-field
	Value string
}

// Config is `config = { key = value; ... }`.
type Config struct {
	Span  Span
	Items []*ConfigItem
}

// ConfigItem is one `key = value` of a config block. Value is an *Int, *Str,
// *Bool or *Ident.
type ConfigItem struct {
	Span  Span
	Key   string
	Value Expr
}

// Import is `import "path";`.
type Import struct {
	Span Span
	Path string
}

// MapDecl is `let @name = hash(100);`.
type MapDecl struct {
	Span       Span
	Map        *Map
	Kind       string // hash, lruhash, percpuhash, percpulruhash, ...
	MaxEntries uint64
}

// Macro is `macro name(params) { body }`. Each parameter is a *Var, *Map or
// *Ident.
type Macro struct {
	Span   Span
	Name   string
	Params []Expr
	Body   *Block
}

// Subprog is a function, `fn name($a: type, ...): result { body }`.
type Subprog struct {
	Span   Span
	Name   string
	Params []*Param
	Result *Type
	Body   *Block
}

// Param is one `$name: type` parameter of a Subprog.
type Param struct {
	Span Span
	Var  *Var
	Type *Type
}

// Probe is an action block: attach points, an optional predicate and a
// body. Name is the optional `name=` prefix.
type Probe struct {
	Span         Span
	Name         string
	AttachPoints []*AttachPoint
	Pred         Expr
	PredSpan     Span // `/ pred /`, slashes included, where bpftrace points predicate errors
	Body         *Block
}

// AttachPoint is one probe specification such as `uprobe:/bin/bash:readline`
// or `interval:s:1`.
//
// Raw is the text as written. Provider is the canonical provider name after
// expanding short aliases (`u` → `uprobe`, `BEGIN`/`begin` → `begin`, `kfunc`
// → `fentry`); ProviderText is the provider as written. Parts are the
// colon-separated fields after the provider, unquoted; Quoted[i] tells
// whether part i was written in double quotes (quoted parts may contain
// `:` and are never wildcards). Interpreting the parts (targets, offsets,
// frequencies, wildcards) is the job of later passes.
type AttachPoint struct {
	Span         Span
	Raw          string
	Provider     string
	ProviderText string
	Parts        []string
	Quoted       []bool
}

func (n *Program) Range() Span     { return n.Span }
func (n *Comment) Range() Span     { return n.Span }
func (n *CPreproc) Range() Span    { return n.Span }
func (n *CDefinition) Range() Span { return n.Span }
func (n *CField) Range() Span      { return n.Span }
func (n *Config) Range() Span      { return n.Span }
func (n *ConfigItem) Range() Span  { return n.Span }
func (n *Import) Range() Span      { return n.Span }
func (n *MapDecl) Range() Span     { return n.Span }
func (n *Macro) Range() Span       { return n.Span }
func (n *Subprog) Range() Span     { return n.Span }
func (n *Param) Range() Span       { return n.Span }
func (n *Probe) Range() Span       { return n.Span }
func (n *AttachPoint) Range() Span { return n.Span }

func (*CPreproc) declNode()    {}
func (*CDefinition) declNode() {}
func (*Config) declNode()      {}
func (*Import) declNode()      {}
func (*MapDecl) declNode()     {}
func (*Macro) declNode()       {}
func (*Subprog) declNode()     {}
func (*Probe) declNode()       {}
