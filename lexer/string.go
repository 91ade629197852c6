package lexer

import (
	"strings"

	"github.com/gobpftrace/gobpftrace/ast"
)

func isOct(c byte) bool { return c >= '0' && c <= '7' }

// str scans a string literal with bpftrace 0.17's escapes and error
// messages. An unterminated string produces an error and no token.
func (s *scanner) str() {
	start := s.off
	s.off++
	var b strings.Builder
	plain := true // no escapes so far: the value is a substring
	for {
		if s.off >= len(s.src) {
			s.errorAt(s.off, "unterminated string")
			return
		}
		c := s.src[s.off]
		switch c {
		case '"':
			s.off++
			val := s.src[start+1 : s.off-1]
			if !plain {
				val = b.String()
			}
			s.emit(String, start, val)
			return
		case '\n':
			// bpftrace's location covers the newline on its line.
			end := s.pos(s.off)
			end.Offset++
			end.Col++
			s.off++
			s.errorSpan(end, "unterminated string")
			s.lead = s.off
			return
		case '\\':
			if plain {
				b.WriteString(s.src[start+1 : s.off])
				plain = false
			}
			if !s.escape(&b) {
				return
			}
		default:
			if !plain {
				b.WriteByte(c)
			}
			s.off++
		}
	}
}

// escape decodes one escape sequence at s.off. It reports false when the
// string ends there (a backslash before a newline or the end of input).
func (s *scanner) escape(b *strings.Builder) bool {
	esc := s.off
	n := s.peekAt(s.off + 1)
	switch {
	case n == 'n':
		b.WriteByte('\n')
	case n == 't':
		b.WriteByte('\t')
	case n == 'r':
		b.WriteByte('\r')
	case n == '"':
		b.WriteByte('"')
	case n == '\\':
		b.WriteByte('\\')
	case isOct(n):
		i := s.off + 1
		v := 0
		for i < len(s.src) && i < s.off+4 && isOct(s.src[i]) {
			v = v*8 + int(s.src[i]-'0')
			i++
		}
		s.off = i
		if v > 255 {
			s.errorAt(s.off, "octal escape sequence out of range '"+s.src[esc:s.off]+"'")
		}
		b.WriteByte(byte(v))
		return true
	case n == 'x' || n == 'X':
		i := s.off + 2
		v := 0
		for i < len(s.src) && i < s.off+4 && isHex(s.src[i]) {
			d := s.src[i]
			if isDigit(d) {
				v = v*16 + int(d-'0')
			} else {
				v = v*16 + int(d|0x20-'a') + 10
			}
			i++
		}
		if i == s.off+2 {
			s.off += 2
			s.errorAt(s.off, "invalid escape character '"+s.src[esc:s.off]+"'")
			return true
		}
		s.off = i
		b.WriteByte(byte(v))
		return true
	case n == '\n' || s.off+1 >= len(s.src):
		s.off++
		s.errorAt(s.off, "invalid character")
		return false
	default:
		s.off += 2
		s.errorAt(s.off, "invalid escape character '"+s.src[esc:s.off]+"'")
		return true
	}
	s.off += 2
	return true
}

func (s *scanner) errorSpan(end ast.Pos, msg string) {
	if len(s.res.Errors) >= maxErrors {
		return
	}
	lead := s.pos(s.lead)
	e := &ast.Error{Filename: s.file, Span: ast.Span{Lead: lead, Start: lead, End: end}, Msg: msg}
	s.res.Errors = append(s.res.Errors, LexError{Err: e, Before: len(s.res.Tokens)})
}
