package ast

import (
	"strconv"
	"strings"
)

// Operator precedence levels used by the formatter, lowest first: a
// ternary, the ten binary levels of bpftrace's precedence climbing, prefix
// operators (unary, casts, comptime, prefix ++/--), then postfix operators.
const (
	precTernary = 0
	precUnary   = 11
	precPostfix = 12
	precPrimary = 13
)

// binaryPrec is bpftrace's binary operator table.
var binaryPrec = map[string]int{
	"||": 1, "&&": 2, "|": 3, "^": 4, "&": 5,
	"==": 6, "!=": 6,
	"<": 7, ">": 7, "<=": 7, ">=": 7,
	"<<": 8, ">>": 8,
	"+": 9, "-": 9,
	"*": 10, "/": 10, "%": 10,
}

// exprPrec returns the precedence level of x as printed: x needs
// parentheses where an operand of a higher level is required.
func exprPrec(x Expr) int {
	switch x := x.(type) {
	case *Ternary, *RangeExpr, *Block:
		// A block is a primary, but at the start of a statement it would be
		// read as a block statement: keep it parenthesised as an operand.
		return precTernary
	case *Binary:
		if p, ok := binaryPrec[x.Op]; ok {
			return p
		}
		return 1
	case *Unary, *Cast, *Comptime:
		return precUnary
	case *IncDec:
		if x.Post {
			return precPostfix
		}
		return precUnary
	case *Field, *Index, *Call, *Map:
		return precPostfix
	}
	return precPrimary
}

// firstByte returns the first byte x prints as, for the operators that
// would merge with a preceding unary operator into another token.
func firstByte(x Expr) byte {
	switch x := x.(type) {
	case *Unary:
		if x.Op != "" {
			return x.Op[0]
		}
	case *IncDec:
		if !x.Post && x.Op != "" {
			return x.Op[0]
		}
		return firstByte(x.X)
	case *Binary:
		return firstByte(x.X)
	case *Ternary:
		return firstByte(x.Cond)
	case *Field:
		return firstByte(x.X)
	case *Index:
		return firstByte(x.X)
	}
	return 0
}

// expr prints x, in parentheses when its level is below min.
func (p *printer) expr(x Expr, min int) {
	if isNil(x) {
		return
	}
	if exprPrec(x) < min {
		p.write("(")
		p.expr1(x)
		p.write(")")
		return
	}
	p.expr1(x)
}

func (p *printer) exprList(list []Expr) {
	for i, x := range list {
		if i > 0 {
			p.write(", ")
		}
		p.expr(x, precTernary)
	}
}

func (p *printer) expr1(x Expr) {
	switch x := x.(type) {
	case *Ident:
		p.write(x.Name)
	case *Int:
		if x.Text != "" {
			p.write(x.Text)
		} else {
			p.write(strconv.FormatUint(x.Value, 10))
		}
	case *Str:
		p.write(strLiteral(x))
	case *Bool:
		p.write(strconv.FormatBool(x.Value))
	case *PositionalParam:
		p.write("$" + strconv.Itoa(x.N))
	case *ParamCount:
		p.write("$#")
	case *Var:
		p.write("$" + x.Name)
	case *Map:
		p.write("@" + x.Name)
		if len(x.Keys) > 0 {
			p.write("[")
			p.exprList(x.Keys)
			p.write("]")
		}
	case *Call:
		p.write(x.Name)
		if x.Bang {
			p.write("!")
		}
		p.write("(")
		p.exprList(x.Args)
		p.write(")")
	case *Unary:
		p.write(x.Op)
		if c := firstByte(x.X); c != 0 && (x.Op == "-" && c == '-' || x.Op == "&" && c == '&') {
			p.write("(")
			p.expr(x.X, precTernary)
			p.write(")")
		} else {
			p.expr(x.X, precUnary)
		}
	case *IncDec:
		if x.Post {
			p.expr(x.X, precPostfix)
			p.write(x.Op)
		} else {
			p.write(x.Op)
			p.expr(x.X, precPostfix)
		}
	case *Binary:
		l := exprPrec(x)
		p.expr(x.X, l)
		p.write(" " + x.Op + " ")
		p.expr(x.Y, l+1)
	case *Ternary:
		p.expr(x.Cond, 1)
		if x.Then == nil {
			p.write(" ?: ")
		} else {
			p.write(" ? ")
			p.expr(x.Then, 1)
			p.write(" : ")
		}
		p.expr(x.Else, precTernary)
	case *Cast:
		p.write("(" + TypeString(x.Type) + ")")
		p.expr(x.X, precPostfix)
	case *Field:
		p.expr(x.X, precPostfix)
		if x.Arrow {
			p.write("->")
		} else {
			p.write(".")
		}
		p.write(x.Name)
	case *Index:
		p.expr(x.X, precPostfix)
		p.write("[")
		p.expr(x.Index, precTernary)
		p.write("]")
	case *Tuple:
		p.write("(")
		p.exprList(x.Elems)
		if len(x.Elems) == 1 {
			p.write(",")
		}
		p.write(")")
	case *Record:
		p.write("(")
		for i, f := range x.Fields {
			if i > 0 {
				p.write(", ")
			}
			p.recordField(f)
		}
		p.write(")")
	case *Block:
		p.blockExpr(x)
	case *Sizeof:
		p.write("sizeof(")
		p.typeOrExpr(x.Type, x.X)
		p.write(")")
	case *Offsetof:
		p.write("offsetof(")
		p.typeOrExpr(x.Type, x.X)
		p.write(", " + strings.Join(x.Field, ".") + ")")
	case *Typeinfo:
		p.write("typeinfo(")
		p.typeOrExpr(x.Type, x.X)
		p.write(")")
	case *Comptime:
		p.write("comptime ")
		p.expr(x.X, precUnary)
	case *RangeExpr:
		p.expr(x.Lo, precPostfix)
		p.write("..")
		p.expr(x.Hi, precPostfix)
	}
}

func (p *printer) recordField(f *RecordField) {
	if f == nil {
		return
	}
	p.write(f.Name + " = ")
	p.expr(f.Value, precTernary)
}

func (p *printer) typeOrExpr(t *Type, x Expr) {
	if t != nil {
		p.write(TypeString(t))
		return
	}
	p.expr(x, precTernary)
}

// strLiteral returns s as a quoted literal: its original text when that
// decodes to its value, else its value re-escaped.
func strLiteral(s *Str) string {
	if v, ok := unquote(s.Text); ok && v == s.Value {
		return s.Text
	}
	return quote(s.Value)
}

// quote escapes v the way bpftrace's lexer reads it back: `\\`, `\"`,
// `\n`, `\t`, `\r`, and `\xHH` for other control bytes.
func quote(v string) string {
	const hex = "0123456789abcdef"
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '\\':
			b.WriteString(`\\`)
		case c == '"':
			b.WriteString(`\"`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < 0x20 || c == 0x7f:
			b.WriteString(`\x`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// unquote decodes a double-quoted bpftrace string literal; ok is false
// when text is not one.
func unquote(text string) (string, bool) {
	if len(text) < 2 || text[0] != '"' || text[len(text)-1] != '"' {
		return "", false
	}
	s := text[1 : len(text)-1]
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '"' || c == '\n' {
			return "", false
		}
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(s) {
			return "", false
		}
		switch e := s[i]; {
		case e == 'n':
			b.WriteByte('\n')
		case e == 't':
			b.WriteByte('\t')
		case e == 'r':
			b.WriteByte('\r')
		case e == '"' || e == '\\':
			b.WriteByte(e)
		case e == 'x' || e == 'X':
			j := i + 1
			for j < len(s) && j < i+3 && isHex(s[j]) {
				j++
			}
			if j == i+1 {
				return "", false
			}
			n, _ := strconv.ParseUint(s[i+1:j], 16, 8)
			b.WriteByte(byte(n))
			i = j - 1
		case e >= '0' && e <= '7':
			j := i
			for j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7' {
				j++
			}
			n, _ := strconv.ParseUint(s[i:j], 8, 16)
			if n > 255 {
				return "", false
			}
			b.WriteByte(byte(n))
			i = j - 1
		default:
			return "", false
		}
	}
	return b.String(), true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
