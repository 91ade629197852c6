// Package lexer implements participle lexer rules for bpftrace tokens.
//
// bpftrace's lexical structure depends on context: at the top level an
// attach point such as `uprobe:/bin/x:"github.com/x/y.(*T).M"` is raw text
// up to white space, `,` or `{`; C definitions (`struct X { ... };`) and
// preprocessor lines are raw text too; a predicate `/.../` ends at a `/`
// followed by optional space and `{` (bpftrace 0.17's ENDPRED rule). So the
// scanner is written by hand rather than as participle regexp rules. Scan
// returns the whole token slice (what the parser uses); Definition wraps the
// same scanner as a participle lexer.Definition.
//
// Every token carries its exact Start/End and bpftrace 0.17's Lead position:
// 0.17's flex lexer only advances a location's begin over white space, so a
// token that directly follows another one begins where that run of
// non-blank text began. Error messages print Lead-End to match bpftrace.
package lexer

import (
	"fmt"

	"github.com/gobpftrace/gobpftrace/ast"
)

// Kind is a token kind.
type Kind int

// Token kinds. Keywords are Ident tokens; the parser looks at their text.
const (
	EOF         Kind = iota
	Ident            // foo, if, struct, pid, printf
	Int              // 123, 0x1f, 1_000, 10ms, 5UL, 1e6
	String           // "text"; Value is decoded
	Var              // $name; Value excludes the $
	Map              // @name or @; Value excludes the @
	Param            // $1; Value is the digits
	ParamCount       // $#
	Punct            // operators and punctuation; Value is the operator
	AttachPoint      // raw attach point text at the top level
	EndPred          // the `/` that ends a predicate
	CPreproc         // #include ... (whole line)
	CDef             // struct X { ... }; (whole text)
)

var kindNames = [...]string{
	EOF: "EOF", Ident: "Ident", Int: "Int", String: "String", Var: "Var",
	Map: "Map", Param: "Param", ParamCount: "ParamCount", Punct: "Punct",
	AttachPoint: "AttachPoint", EndPred: "EndPred", CPreproc: "CPreproc",
	CDef: "CDef",
}

func (k Kind) String() string {
	if int(k) >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Token is one lexical token.
type Token struct {
	Kind  Kind
	Text  string // the source text exactly as written
	Value string // decoded value: string contents, name without sigil, operator
	Span  ast.Span
	// IntValue is the value of an Int token (durations in nanoseconds).
	IntValue uint64
}

// Is reports whether t is the punctuation or keyword s.
func (t *Token) Is(s string) bool {
	return (t.Kind == Punct || t.Kind == Ident) && t.Value == s
}

// LexError is a lexical error; Before is the index of the token that the
// error precedes, so a parser that stops early can drop later errors like
// bpftrace's on-demand lexer would never have reported them.
type LexError struct {
	Err    *ast.Error
	Before int
}

// Result is the output of Scan.
type Result struct {
	Tokens      []Token // always ends with an EOF token
	Comments    []*ast.Comment
	Shebang     string
	ShebangSpan ast.Span
	Errors      []LexError
}
