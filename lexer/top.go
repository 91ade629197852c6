package lexer

import "strings"

// topItem scans the start of a top-level item, or the text that follows a
// raw attach point.
func (s *scanner) topItem() {
	c := s.src[s.off]
	start := s.off
	if s.afterAPs {
		s.afterAPs = false
		if c == ',' {
			s.off++
			s.emit(Punct, start, ",")
			return
		}
		s.top = false
		if c == '/' {
			s.inPred = true
			kind := Punct
			if s.endPred() {
				kind, s.inPred = EndPred, false
			}
			s.off++
			s.emit(kind, start, "/")
		}
		return
	}
	switch c {
	case '#':
		s.preproc()
		return
	case ',':
		s.off++
		s.emit(Punct, start, ",")
		return
	case '{', '}', ';', '(', ')', '=', '!', '~', '<', '>', '&', '|', '^', '%', '?':
		s.top = false
		return
	case '/':
		s.top = false
		s.inPred = true
		s.off++
		s.emit(Punct, start, "/")
		return
	}
	switch w := s.wordAt(s.off); w {
	case "struct", "union", "enum", "typedef":
		if s.cDefinition() {
			return
		}
	case "config", "import", "let", "macro", "fn":
		if c := s.peekAt(s.off + len(w)); c != ':' && c != ',' {
			s.top = false
			s.stmtTop, s.stmtKind, s.parens = true, w, 0
			return
		}
	}
	s.attachPoint()
}

// preproc scans a preprocessor line, continuation lines included.
func (s *scanner) preproc() {
	start := s.off
	for s.off < len(s.src) {
		c := s.src[s.off]
		if c == '\n' {
			if s.off > start && s.src[s.off-1] == '\\' {
				s.off++
				continue
			}
			break
		}
		s.off++
	}
	end := s.off
	for end > start && (s.src[end-1] == '\r' || s.src[end-1] == ' ' || s.src[end-1] == '\t') {
		end--
	}
	s.res.Tokens = append(s.res.Tokens, Token{Kind: CPreproc, Text: s.src[start:end], Value: s.src[start:end], Span: s.span(start, end)})
}

// cDefinition scans `struct X { ... };`, `enum E { ... };`, a forward
// declaration or a typedef. It reports false, consuming nothing, when the
// text does not look like a C definition.
func (s *scanner) cDefinition() bool {
	start := s.off
	i := start
	depth := 0
	for ; i < len(s.src); i++ {
		switch s.src[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				i = s.attributes(i + 1)
				j := i
				for j < len(s.src) && (s.src[j] == ' ' || s.src[j] == '\t') {
					j++
				}
				if j < len(s.src) && s.src[j] == ';' {
					i = j
				} else if k := strings.IndexByte(s.src[i:], ';'); k > 0 && s.wordAt(start) == "typedef" && !strings.ContainsAny(s.src[i:i+k], "{:/,") {
					i += k // typedef struct {...} name;
				} else {
					i--
				}
				s.off = i + 1
				s.emit(CDef, start, s.src[start:s.off])
				return true
			}
		case ';':
			if depth == 0 {
				s.off = i + 1
				s.emit(CDef, start, s.src[start:s.off])
				return true
			}
		case ':', ',', '/':
			if depth == 0 {
				return false // an attach point or a predicate
			}
		}
	}
	if depth > 0 {
		// Like bpftrace 0.17, an unterminated definition swallows the
		// rest of the input without producing a token.
		s.off = len(s.src)
		return true
	}
	return false
}

// attributes skips `__attribute__((...))` specifiers after a C
// definition's closing brace and returns the offset after them.
func (s *scanner) attributes(i int) int {
	for {
		j := i
		for j < len(s.src) && isSpace(s.src[j]) {
			j++
		}
		if s.wordAt(j) != "__attribute__" {
			return i
		}
		j += len("__attribute__")
		for j < len(s.src) && isSpace(s.src[j]) {
			j++
		}
		if j >= len(s.src) || s.src[j] != '(' {
			return i
		}
		depth := 0
		for ; j < len(s.src); j++ {
			if s.src[j] == '(' {
				depth++
			} else if s.src[j] == ')' {
				depth--
				if depth == 0 {
					break
				}
			}
		}
		if j >= len(s.src) {
			return i
		}
		i = j + 1
	}
}

// attachPoint scans one raw attach point: text up to white space, `,`,
// `{`, `}` or `;`; a `/` ends it too until a `:` has been seen, since paths
// only follow the provider. Double-quoted parts may contain anything.
func (s *scanner) attachPoint() {
	start := s.off
	colon := false
	for s.off < len(s.src) {
		c := s.src[s.off]
		if isSpace(c) || c == ',' || c == '{' || c == '}' || c == ';' {
			break
		}
		if (c == '/' || c == '(') && !colon {
			break
		}
		if c == '"' {
			s.off++
			for s.off < len(s.src) && s.src[s.off] != '"' && s.src[s.off] != '\n' {
				if s.src[s.off] == '\\' && s.off+1 < len(s.src) {
					s.off++
				}
				s.off++
			}
			if s.off >= len(s.src) || s.src[s.off] != '"' {
				s.errorAt(s.off, "unterminated string")
				break
			}
			s.off++
			continue
		}
		if c == ':' {
			colon = true
		}
		s.off++
	}
	if s.off == start {
		// Cannot happen for callers, but never loop forever.
		s.off++
		s.errorAt(s.off, "invalid character '"+s.src[start:s.off]+"'")
		return
	}
	s.emit(AttachPoint, start, s.src[start:s.off])
	s.afterAPs = true
}
