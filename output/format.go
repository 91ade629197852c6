package output

import (
	"errors"
	"strconv"
	"strings"
)

// Spec is one conversion of a format string, as bpftrace 0.17 recognises
// it: `%`, an optional `-`, digits (flag `0` and width), an optional
// precision of one or more digits, a length modifier and a conversion.
// The renderer also honours the flags `+`, space and `#` that glibc knows,
// but bpftrace 0.17's tokenizer never produces them for its conversions.
//
// The floating-point conversions f F e E g G a A are ours (bpftrace 0.17
// has no floats; it prints "%f" as text). They take C's syntax: the flags
// `-+ #0` in any order, a width, a precision (`.` alone means 0) and an
// optional `l`, which C ignores for them.
type Spec struct {
	Start, End int    // byte offsets of the spec in the format string
	Minus      bool   // '-': left-justify
	Zero       bool   // '0': pad numbers with zeros
	Plus       bool   // '+': always print a sign
	Space      bool   // ' ': a space in place of a plus sign
	Hash       bool   // '#': alternate form (0x, leading 0)
	Width      int    // minimum field width, -1 if none
	Prec       int    // precision, -1 if none
	Length     string // "", "hh", "h", "l", "ll", "j", "z" or "t"
	Conv       string // "d", "u", "o", "x", "X", "p", "c", "s", "r", "rx", "rh", or a float conversion
}

// Token is the spec as bpftrace names it in messages: length and conversion.
func (s *Spec) Token() string { return s.Length + s.Conv }

// ArgKind is the kind of value the conversion formats: String for %s,
// Buffer for the %r family, Float for the floating-point conversions and
// Integer for the rest (bpftrace's printf_format_types).
func (s *Spec) ArgKind() Kind {
	switch s.Conv {
	case "s":
		return String
	case "r", "rx", "rh":
		return Buffer
	}
	if isFloatConv(s.Conv) {
		return Float
	}
	return Integer
}

// isFloatConv reports whether conv is a floating-point conversion.
func isFloatConv(conv string) bool {
	return len(conv) == 1 && strings.IndexByte("fFeEgGaA", conv[0]) >= 0
}

// Column is a named conversion: the identifier right before the ':' that
// precedes a spec ("time_:%lld units:%d" has columns time_ and units).
type Column struct {
	Name string
	Arg  int // index of the argument the spec formats
	Spec Spec
}

// Format is a parsed printf format string.
type Format struct {
	src   string
	specs []Spec
	// pre[i] is the literal text printed before argument i, after glibc has
	// interpreted the part as a format ("%%" becomes "%"); live[i] is false
	// when glibc would read the spec as literal text (its '%' was the second
	// half of a "%%").
	pre  []string
	live []bool
	tail string // printed raw, as bpftrace does after the last argument
}

// lengths are tried longest first; all conversions take every length but s,
// c and the r family, which take none.
var lengths = [...]string{"hh", "h", "ll", "l", "j", "z", "t", ""}

// ParseFormat splits a printf format into literal text and conversion specs
// as bpftrace 0.17's format_specifier_re does, plus our float conversions.
// It never fails today (bpftrace accepts any string); the error is for
// future dialects.
func ParseFormat(s string) (*Format, error) { return parseFormat(s, true), nil }

// ParseFormatFor parses the format of a call with nargs arguments. Text
// that reads as a float conversion ("50% efficiency" holds "% e") is
// literal text to bpftrace 0.17, so a script valid there keeps its meaning:
// when 0.17's reading has exactly nargs conversions it is the one used;
// otherwise the float conversions count too.
func ParseFormatFor(s string, nargs int) (*Format, error) {
	if f := parseFormat(s, false); len(f.specs) == nargs {
		return f, nil
	}
	return parseFormat(s, true), nil
}

func parseFormat(s string, floats bool) *Format {
	f := &Format{src: s}
	last := 0
	for p := 0; p < len(s); p++ {
		if s[p] != '%' {
			continue
		}
		sp, ok := matchSpec(s, p)
		if !ok && floats {
			sp, ok = matchFloatSpec(s, p)
		}
		if !ok {
			continue
		}
		f.specs = append(f.specs, sp)
		pre, live := interpretPart(s[last:sp.End], sp.Start-last)
		f.pre = append(f.pre, pre)
		f.live = append(f.live, live)
		last = sp.End
		p = sp.End - 1
	}
	f.tail = s[last:]
	return f
}

// matchSpec matches `%-?[0-9]*(\.[0-9]+)?(token)` at p.
func matchSpec(s string, p int) (Spec, bool) {
	sp := Spec{Start: p, Width: -1, Prec: -1}
	j := p + 1
	if j < len(s) && s[j] == '-' {
		sp.Minus = true
		j++
	}
	for j < len(s) && s[j] == '0' {
		sp.Zero = true
		j++
	}
	if j < len(s) && s[j] >= '1' && s[j] <= '9' {
		sp.Width, j = digits(s, j)
	}
	if j+1 < len(s) && s[j] == '.' && isDigit(s[j+1]) {
		sp.Prec, j = digits(s, j+1)
	}
	rest := s[j:]
	for _, r := range [...]string{"rx", "rh", "r", "s", "c"} {
		if strings.HasPrefix(rest, r) {
			sp.Conv, sp.End = r, j+len(r)
			return sp, true
		}
	}
	for _, l := range lengths {
		if !strings.HasPrefix(rest, l) || len(rest) <= len(l) {
			continue
		}
		switch c := rest[len(l)]; c {
		case 'd', 'u', 'o', 'x', 'X', 'p':
			sp.Length, sp.Conv, sp.End = l, string(c), j+len(l)+1
			return sp, true
		}
	}
	return Spec{}, false
}

// matchFloatSpec matches `%[-+ #0]*[0-9]*(\.[0-9]*)?l?[fFeEgGaA]` at p.
func matchFloatSpec(s string, p int) (Spec, bool) {
	sp := Spec{Start: p, Width: -1, Prec: -1}
	j := p + 1
flags:
	for ; j < len(s); j++ {
		switch s[j] {
		case '-':
			sp.Minus = true
		case '+':
			sp.Plus = true
		case ' ':
			sp.Space = true
		case '#':
			sp.Hash = true
		case '0':
			sp.Zero = true
		default:
			break flags
		}
	}
	if j < len(s) && isDigit(s[j]) {
		sp.Width, j = digits(s, j)
	}
	if j < len(s) && s[j] == '.' {
		sp.Prec, j = digits(s, j+1)
	}
	if j < len(s) && s[j] == 'l' {
		sp.Length, j = "l", j+1
	}
	if j < len(s) && isFloatConv(s[j:j+1]) {
		sp.Conv, sp.End = s[j:j+1], j+1
		return sp, true
	}
	return Spec{}, false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// digits parses a decimal run at j, saturating instead of overflowing.
func digits(s string, j int) (int, int) {
	n := 0
	for ; j < len(s) && isDigit(s[j]); j++ {
		if n < 1<<20 {
			n = n*10 + int(s[j]-'0')
		}
	}
	return n, j
}

// interpretPart reads a part (literal text then the spec at offset spec) the
// way glibc's printf does: "%%" prints '%'; a '%' that starts no directive
// bpftrace knows is kept verbatim (glibc would consume an argument there,
// which bpftrace never passes: undefined behaviour we do not imitate).
func interpretPart(part string, spec int) (string, bool) {
	var b []byte
	for j := 0; j < len(part); j++ {
		if j == spec {
			return string(b), true
		}
		if part[j] == '%' && j+1 < len(part) && part[j+1] == '%' {
			b = append(b, '%')
			j++
			continue
		}
		b = append(b, part[j])
	}
	return string(b), false
}

// String returns the format string.
func (f *Format) String() string { return f.src }

// Specs returns the conversion specs, one per argument.
func (f *Format) Specs() []Spec { return f.specs }

// NumArgs returns the number of arguments the format expects.
func (f *Format) NumArgs() int { return len(f.specs) }

// Columns returns the named conversions (Pixie's name:%fmt convention).
func (f *Format) Columns() []Column {
	var cols []Column
	for i, sp := range f.specs {
		end := sp.Start - 1
		if end < 0 || f.src[end] != ':' {
			continue
		}
		start := end
		for start > 0 && isIdent(f.src[start-1]) {
			start--
		}
		for start < end && isDigit(f.src[start]) {
			start++ // an identifier does not start with a digit
		}
		if start == end {
			continue
		}
		cols = append(cols, Column{Name: f.src[start:end], Arg: i, Spec: sp})
	}
	return cols
}

func isIdent(c byte) bool {
	return c == '_' || isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// Check validates argument types against the format as bpftrace 0.17's
// semantic analyser does for printf, returning its message (without the
// source position, which the caller adds).
func (f *Format) Check(args []Kind) error { return f.CheckCall("printf", args) }

// CheckCall is Check for the other format-taking calls: printf, system, cat
// and debugf (which allows fewer conversions and at most three arguments).
func (f *Format) CheckCall(fn string, args []Kind) error {
	n, want := len(args), len(f.specs)
	if n < want {
		return errors.New(fn + ": Not enough arguments for format string (" +
			strconv.Itoa(n) + " supplied, " + strconv.Itoa(want) + " expected)")
	}
	if n > want {
		return errors.New(fn + ": Too many arguments for format string (" +
			strconv.Itoa(n) + " supplied, " + strconv.Itoa(want) + " expected)")
	}
	if fn == "debugf" && n > 3 {
		return errors.New(fn + ": Cannot use more than 3 conversion specifiers")
	}
	for i, k := range args {
		tok := f.specs[i].Token()
		want, ok := f.specs[i].ArgKind(), true
		if fn == "debugf" {
			want, ok = debugfKind(tok)
		}
		if !ok {
			return errors.New(fn + ": Unknown format string token: %" + tok)
		}
		if got := checkKind(k); got != want {
			return errors.New(fn + ": %" + tok + " specifier expects a value of type " +
				want.String() + " (" + got.String() + " supplied)")
		}
	}
	return nil
}

// checkKind folds the kinds bpftrace prints as strings or integers.
func checkKind(k Kind) Kind {
	switch k {
	case Ksym, Usym, Probe, Username, Kstack, Ustack, Inet, Timestamp,
		MacAddress, CgroupPath, Strerror:
		return String
	case Pointer:
		return Integer
	}
	return k
}

// debugfKind is the subset of printf_format_types that debugf (the
// kernel's bpf_trace_printk) takes.
func debugfKind(tok string) (Kind, bool) {
	switch tok {
	case "d", "u", "x", "ld", "lu", "lx", "lld", "llu", "llx", "p":
		return Integer, true
	case "s":
		return String, true
	}
	return None, false
}
