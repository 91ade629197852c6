package lexer

import (
	"math/bits"
	"strings"
)

var puncts3 = [...]string{"<<=", ">>="}

var puncts2 = [...]string{"->", "++", "--", "==", "!=", "<=", ">=", "<<", ">>", "&&", "||",
	"+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", ".."}

const puncts1 = ":;{}[](),?=+-*/%&|^!~.<>"

// normal scans one token of expression text: blocks, predicates and the
// headers of top-level keyword items.
func (s *scanner) normal() {
	c := s.src[s.off]
	start := s.off
	switch {
	case isIdentStart(c):
		w := s.wordAt(s.off)
		s.off += len(w)
		s.emit(Ident, start, w)
	case c >= '0' && c <= '9':
		s.number()
	case c == '"':
		s.str()
		if s.stmtTop && s.stmtKind == "import" && s.depth == 0 {
			s.top, s.stmtTop = true, false
		}
	case c == '$':
		s.off++
		switch n := s.peekAt(s.off); {
		case n >= '0' && n <= '9':
			for s.off < len(s.src) && s.src[s.off] >= '0' && s.src[s.off] <= '9' {
				s.off++
			}
			s.emit(Param, start, s.src[start+1:s.off])
		case n == '#':
			s.off++
			s.emit(ParamCount, start, "$#")
		case isIdentStart(n):
			w := s.wordAt(s.off)
			s.off += len(w)
			s.emit(Var, start, w)
		default:
			s.errorAt(s.off, "invalid character '$'")
		}
	case c == '@':
		s.off++
		w := ""
		if isIdentStart(s.peekAt(s.off)) {
			w = s.wordAt(s.off)
			s.off += len(w)
		}
		s.emit(Map, start, w)
	case c == '#':
		s.preproc()
	case c == '/' && s.inPred && s.depth == 0 && s.endPred():
		s.off++
		s.inPred = false
		s.emit(EndPred, start, "/")
	default:
		s.punct()
	}
}

// endPred reports whether the `/` at s.off ends a predicate: it is followed
// by optional space and `{` or `/`.
func (s *scanner) endPred() bool {
	i := s.off + 1
	for i < len(s.src) && isSpace(s.src[i]) {
		i++
	}
	return i < len(s.src) && (s.src[i] == '{' || s.src[i] == '/')
}

func (s *scanner) punct() {
	start := s.off
	rest := s.src[s.off:]
	op := ""
	for _, p := range puncts3 {
		if strings.HasPrefix(rest, p) {
			op = p
		}
	}
	if op == "" {
		for _, p := range puncts2 {
			if strings.HasPrefix(rest, p) {
				op = p
				break
			}
		}
	}
	if op == "" && strings.IndexByte(puncts1, rest[0]) >= 0 {
		op = rest[:1]
	}
	if op == "" {
		s.off++
		ch := rest[:1]
		if ch[0] >= 0x80 {
			ch = "\uFFFD" // keep messages valid UTF-8
		}
		s.errorAt(s.off, "invalid character '"+ch+"'")
		return
	}
	s.off += len(op)
	s.emit(Punct, start, op)
	switch op {
	case "(":
		s.parens++
	case ")":
		s.parens--
		if s.stmtTop && s.stmtKind == "let" && s.depth == 0 && s.parens == 0 {
			s.top, s.stmtTop = true, false
		}
	case "{":
		s.depth++
		s.inPred = false
	case "}":
		if s.depth > 0 {
			s.depth--
		}
		if s.depth == 0 {
			s.top, s.stmtTop = true, false
		}
	case ";":
		if s.depth == 0 {
			s.top, s.stmtTop = true, false
		}
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// digitsEnd returns the end of `[0-9]([0-9_]*[0-9])?` starting at i.
func (s *scanner) digitsEnd(i int) int {
	j := i
	last := i
	for j < len(s.src) && (isDigit(s.src[j]) || s.src[j] == '_') {
		if isDigit(s.src[j]) {
			last = j + 1
		}
		j++
	}
	return last
}

var durations = [...]struct {
	suffix string
	mult   uint64
}{{"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9}, {"h", 3600e9}, {"d", 86400e9}}

// number scans an integer literal (bpftrace 0.17's int, hex and exponent
// rules, plus v0.26 duration suffixes).
func (s *scanner) number() {
	start := s.off
	var v uint64
	ok := true
	if s.src[s.off] == '0' && (s.peekAt(s.off+1)|0x20) == 'x' && isHex(s.peekAt(s.off+2)) {
		s.off += 2
		for s.off < len(s.src) && (isHex(s.src[s.off]) || s.src[s.off] == '_' && isHex(s.peekAt(s.off+1))) {
			d := s.src[s.off]
			if d == '_' {
				s.off++
				continue
			}
			var n uint64
			switch {
			case isDigit(d):
				n = uint64(d - '0')
			default:
				n = uint64(d|0x20-'a') + 10
			}
			if v>>60 != 0 {
				ok = false
			}
			v = v<<4 | n
			s.off++
		}
	} else {
		end := s.digitsEnd(s.off)
		v, ok = parseDec(s.src[s.off:end])
		s.off = end
		if (s.peekAt(s.off)|0x20) == 'e' && isDigit(s.peekAt(s.off+1)) {
			e := s.digitsEnd(s.off + 1)
			exp, eok := parseDec(s.src[s.off+1 : e])
			s.off = e
			// v == 0 stays 0 whatever the exponent: stop early, so that
			// `0e999999999999` costs nothing.
			for i := uint64(0); i < exp && ok && eok && v != 0; i++ {
				hi, lo := bits.Mul64(v, 10)
				ok = hi == 0
				v = lo
			}
			ok = ok && eok
		} else if !s.intSuffix() {
			s.duration(&v, &ok)
		}
	}
	if !ok {
		s.errorAt(s.off, "stoull")
		return
	}
	t := s.emit(Int, start, s.src[start:s.off])
	t.IntValue = v
}

// parseDec parses decimal digits with `_` separators; a leading 0 means
// octal, like strtoull with base 0.
func parseDec(t string) (uint64, bool) {
	base := uint64(10)
	if len(t) > 1 && t[0] == '0' {
		base = 8
	}
	var v uint64
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c == '_' {
			continue
		}
		d := uint64(c - '0')
		if d >= base {
			return 0, false
		}
		hi, lo := bits.Mul64(v, base)
		lo, carry := bits.Add64(lo, d, 0)
		if hi != 0 || carry != 0 {
			return 0, false
		}
		v = lo
	}
	return v, true
}

// intSuffix consumes a C integer suffix: u, l, ul, ll, ull in any case.
func (s *scanner) intSuffix() bool {
	i := s.off
	if s.peekAt(i)|0x20 == 'u' {
		i++
	}
	if s.peekAt(i)|0x20 == 'l' {
		i++
		if s.peekAt(i)|0x20 == 'l' {
			i++
		}
	}
	if i == s.off || isIdentChar(s.peekAt(i)) {
		return false
	}
	s.off = i
	return true
}

// duration consumes a duration suffix and scales v to nanoseconds.
func (s *scanner) duration(v *uint64, ok *bool) {
	for _, d := range durations {
		if strings.HasPrefix(s.src[s.off:], d.suffix) && !isIdentChar(s.peekAt(s.off+len(d.suffix))) {
			s.off += len(d.suffix)
			hi, lo := bits.Mul64(*v, d.mult)
			*ok = *ok && hi == 0
			*v = lo
			return
		}
	}
}
