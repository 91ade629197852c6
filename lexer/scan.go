package lexer

import (
	"sort"
	"strings"

	"github.com/gobpftrace/gobpftrace/ast"
)

// maxErrors bounds the lexical errors kept for garbage input.
const maxErrors = ast.MaxErrors + 1

type scanner struct {
	file string
	src  string
	off  int
	lead int // start of the current run of non-blank text

	// lineStarts[i] is the offset where line i+1 starts, for pos().
	lineStarts []int

	top      bool   // at the start of a top-level item
	depth    int    // brace depth in normal mode
	inPred   bool   // inside a probe predicate
	stmtTop  bool   // a top-level keyword item (config, import, let, macro, fn)
	stmtKind string // that keyword
	parens   int    // parenthesis depth in normal mode
	afterAPs bool   // just after a raw attach point

	res *Result
}

// Scan tokenizes a whole script.
func Scan(filename, src string) *Result {
	s := &scanner{file: filename, src: src, top: true, res: &Result{}, lineStarts: lineStarts(src)}
	s.res.Tokens = make([]Token, 0, len(src)/4+2)
	s.shebang()
	for {
		s.skipLayout()
		if s.off >= len(s.src) {
			break
		}
		if s.top {
			s.topItem()
		} else {
			s.normal()
		}
	}
	p := s.pos(s.off)
	s.res.Tokens = append(s.res.Tokens, Token{Kind: EOF, Span: ast.Span{Lead: s.pos(s.lead), Start: p, End: p}})
	return s.res
}

// lineStarts returns the offset of the first byte of every line.
func lineStarts(src string) []int {
	starts := make([]int, 1, 1+strings.Count(src, "\n"))
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// pos converts a byte offset to a position by binary search over the line
// starts, so that it costs O(log lines) whatever the order of the queries
// (a token's lead lies behind its start, on long lines too).
func (s *scanner) pos(off int) ast.Pos {
	if off > len(s.src) {
		off = len(s.src)
	}
	line := sort.Search(len(s.lineStarts), func(i int) bool { return s.lineStarts[i] > off })
	return ast.Pos{Offset: off, Line: line, Col: off - s.lineStarts[line-1] + 1}
}

func (s *scanner) span(start, end int) ast.Span {
	return ast.Span{Lead: s.pos(s.lead), Start: s.pos(start), End: s.pos(end)}
}

func (s *scanner) emit(k Kind, start int, value string) *Token {
	s.res.Tokens = append(s.res.Tokens, Token{Kind: k, Text: s.src[start:s.off], Value: value, Span: s.span(start, s.off)})
	return &s.res.Tokens[len(s.res.Tokens)-1]
}

// errorAt records an error spanning from the current lead to end.
func (s *scanner) errorAt(end int, msg string) {
	if len(s.res.Errors) >= maxErrors {
		return
	}
	e := &ast.Error{Filename: s.file, Span: ast.Span{Lead: s.pos(s.lead), Start: s.pos(s.lead), End: s.pos(end)}, Msg: msg}
	s.res.Errors = append(s.res.Errors, LexError{Err: e, Before: len(s.res.Tokens)})
}

func (s *scanner) peekAt(i int) byte {
	if i < len(s.src) {
		return s.src[i]
	}
	return 0
}

func (s *scanner) shebang() {
	if strings.HasPrefix(s.src, "#!") {
		end := strings.IndexByte(s.src, '\n')
		if end < 0 {
			end = len(s.src)
		}
		s.res.Shebang = s.src[:end]
		s.res.ShebangSpan = s.span(0, end)
		s.off = end
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// skipLayout skips white space and comments, recording comments.
func (s *scanner) skipLayout() {
	for s.off < len(s.src) {
		c := s.src[s.off]
		switch {
		case isSpace(c):
			s.off++
			s.lead = s.off
		case c == '/' && s.peekAt(s.off+1) == '/':
			if strings.IndexByte(s.src[s.off:], '\n') < 0 {
				// bpftrace 0.17's comment rule needs a newline: at the
				// end of input `//` lexes as an end of predicate.
				start := s.off
				s.off++
				s.top = false
				s.emit(EndPred, start, "/")
				continue
			}
			start := s.off
			for s.off < len(s.src) && s.src[s.off] != '\n' {
				s.off++
			}
			s.comment(start)
		case c == '/' && s.peekAt(s.off+1) == '*':
			start := s.off
			s.off += 2
			for {
				if s.off >= len(s.src) {
					s.errorAt(s.off, "end of file during comment")
					break
				}
				if s.src[s.off] == '*' && s.peekAt(s.off+1) == '/' {
					s.off += 2
					break
				}
				if s.src[s.off] == '\n' {
					s.lead = s.off + 1
				}
				s.off++
			}
			s.comment(start)
		default:
			return
		}
	}
}

func (s *scanner) comment(start int) {
	sp := ast.Span{Start: s.pos(start), End: s.pos(s.off)}
	sp.Lead = sp.Start
	s.res.Comments = append(s.res.Comments, &ast.Comment{Span: sp, Text: s.src[start:s.off]})
}

func isIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isIdentChar(c byte) bool { return isIdentStart(c) || (c >= '0' && c <= '9') }

func (s *scanner) wordAt(i int) string {
	j := i
	for j < len(s.src) && isIdentChar(s.src[j]) {
		j++
	}
	if j > i && isIdentStart(s.src[i]) {
		return s.src[i:j]
	}
	return ""
}

// skipLayoutFrom returns the offset of the next non-layout byte after i,
// without recording anything.
func (s *scanner) skipLayoutFrom(i int) int {
	for i < len(s.src) {
		c := s.src[i]
		switch {
		case isSpace(c):
			i++
		case c == '/' && s.peekAt(i+1) == '/':
			for i < len(s.src) && s.src[i] != '\n' {
				i++
			}
		case c == '/' && s.peekAt(i+1) == '*':
			k := strings.Index(s.src[i+2:], "*/")
			if k < 0 {
				return len(s.src)
			}
			i += k + 4
		default:
			return i
		}
	}
	return i
}
