package parser

import (
	"strconv"
	"strings"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/lexer"
)

// cDefinition turns a raw C definition token into an ast.CDefinition,
// reading member declarations (or enum constants) best-effort.
func (p *parser) cDefinition(t *lexer.Token) *ast.CDefinition {
	text := t.Text
	d := &ast.CDefinition{Span: t.Span, Text: text}
	code := blankComments(text)
	open := strings.IndexByte(code, '{')
	head := code
	if open >= 0 {
		head = code[:open]
	}
	words := strings.Fields(head)
	if len(words) > 0 {
		d.Kind = words[0]
	}
	if d.Kind == "typedef" {
		tail := strings.TrimRight(strings.TrimSpace(code[strings.LastIndexByte(code, '}')+1:]), ";")
		if open < 0 {
			tail = strings.TrimRight(strings.TrimSpace(code), ";")
		}
		d.Name = lastIdent(tail)
		return d
	}
	if len(words) > 1 {
		d.Name = strings.TrimRight(words[1], ";")
	}
	if open < 0 {
		return d
	}
	close := strings.LastIndexByte(code, '}')
	if close < open {
		return d
	}
	body := code[open+1 : close]
	base := t.Span.Start.Offset + open + 1
	if d.Kind == "enum" {
		for _, item := range splitTop(body, ',') {
			name, val, _ := strings.Cut(item.text, "=")
			name = strings.TrimSpace(name)
			if name == "" {
				continue
			}
			d.Fields = append(d.Fields, &ast.CField{Span: p.spanAt(base+item.off, base+item.off+len(item.text)), Name: name, Value: strings.TrimSpace(val)})
		}
		return d
	}
	for _, decl := range splitTop(body, ';') {
		d.Fields = append(d.Fields, p.members(decl, base)...)
	}
	return d
}

type piece struct {
	text string
	off  int
}

// splitTop splits s at sep outside braces, parentheses and brackets.
func splitTop(s string, sep byte) []piece {
	var out []piece
	depth, start := 0, 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) {
			switch s[i] {
			case '{', '(', '[':
				depth++
				continue
			case '}', ')', ']':
				depth--
				continue
			}
			if s[i] != sep || depth != 0 {
				continue
			}
		}
		if strings.TrimSpace(s[start:i]) != "" {
			out = append(out, piece{s[start:i], start})
		}
		start = i + 1
	}
	return out
}

// members reads `type a, *b[4], c : 3` into fields.
func (p *parser) members(decl piece, base int) []*ast.CField {
	decls := splitTop(decl.text, ',')
	if len(decls) == 0 {
		return nil
	}
	typ, first := splitDeclarator(decls[0].text)
	var out []*ast.CField
	for i, dc := range decls {
		dtext := dc.text
		if i == 0 {
			dtext = first
		}
		f := &ast.CField{Span: p.spanAt(base+decl.off+dc.off, base+decl.off+dc.off+len(dc.text))}
		if name, bits, ok := strings.Cut(dtext, ":"); ok {
			dtext = name
			f.Bits, _ = strconv.Atoi(strings.TrimSpace(bits))
		}
		dtext = strings.TrimSpace(dtext)
		for strings.HasSuffix(dtext, "]") {
			j := strings.LastIndexByte(dtext, '[')
			if j < 0 {
				break
			}
			n, _ := strconv.ParseInt(strings.TrimSpace(dtext[j+1:len(dtext)-1]), 0, 64)
			f.Dims = append([]int{int(n)}, f.Dims...)
			dtext = strings.TrimSpace(dtext[:j])
		}
		stars := strings.Count(dtext, "*")
		f.Name = strings.TrimSpace(strings.ReplaceAll(dtext, "*", ""))
		f.Type = typ
		if stars > 0 {
			f.Type += " " + strings.Repeat("*", stars)
		}
		out = append(out, f)
	}
	return out
}

// splitDeclarator splits `unsigned long *x[2]` into the type
// `unsigned long` and the declarator `*x[2]`.
func splitDeclarator(s string) (typ, decl string) {
	s = strings.TrimSpace(s)
	end := len(s)
	if i := strings.IndexAny(s, "[:"); i >= 0 {
		end = i
	}
	head := strings.TrimRight(s[:end], " \t\n")
	j := len(head)
	for j > 0 && isIdentByte(head[j-1]) {
		j--
	}
	k := j
	for k > 0 && (head[k-1] == '*' || head[k-1] == ' ' || head[k-1] == '\t' || head[k-1] == '\n') {
		k--
	}
	typ = strings.Join(strings.Fields(head[:k]), " ")
	return typ, s[k:]
}

func isIdentByte(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

func lastIdent(s string) string {
	j := len(s)
	for j > 0 && isIdentByte(s[j-1]) {
		j--
	}
	return s[j:]
}

// blankComments replaces C comments with spaces, keeping offsets.
func blankComments(s string) string {
	if !strings.Contains(s, "/") {
		return s
	}
	b := []byte(s)
	for i := 0; i+1 < len(b); i++ {
		switch {
		case b[i] == '/' && b[i+1] == '/':
			for i < len(b) && b[i] != '\n' {
				b[i] = ' '
				i++
			}
		case b[i] == '/' && b[i+1] == '*':
			for i < len(b) && !(b[i] == '*' && i+1 < len(b) && b[i+1] == '/') {
				if b[i] != '\n' {
					b[i] = ' '
				}
				i++
			}
			if i+1 < len(b) {
				b[i], b[i+1] = ' ', ' '
				i++
			}
		}
	}
	return string(b)
}

// spanAt converts byte offsets of the source to a span.
func (p *parser) spanAt(start, end int) ast.Span {
	s := p.posAt(start)
	return ast.Span{Lead: s, Start: s, End: p.posAt(end)}
}

func (p *parser) posAt(off int) ast.Pos {
	if off > len(p.src) {
		off = len(p.src)
	}
	line := 1 + strings.Count(p.src[:off], "\n")
	col := off - (strings.LastIndexByte(p.src[:off], '\n') + 1) + 1
	return ast.Pos{Offset: off, Line: line, Col: col}
}
