package types

import (
	"strings"

	"github.com/gobpftrace/gobpftrace/ast"
)

// printfConvs are the conversions bpftrace accepts, longest first so that
// `%rx` wins over `%r`, with the kind of value each takes.
var printfConvs = func() []struct {
	conv string
	kind Kind
} {
	out := []struct {
		conv string
		kind Kind
	}{{"rx", String}, {"rh", String}, {"r", String}, {"s", String}, {"c", Int}}
	for _, l := range []string{"hh", "ll", "h", "l", "j", "z", "t", ""} {
		for _, s := range []string{"d", "u", "o", "x", "X", "p"} {
			out = append(out, struct {
				conv string
				kind Kind
			}{l + s, Int})
		}
	}
	return out
}()

// ParseFormat finds the conversions of a printf format string the way
// bpftrace 0.17 does: `%`, an optional `-`, digits, an optional
// `.digits`, then a known conversion; text that does not match is
// printed as is. (0.17 has no `%%`: in "100%%d" the second `%d` is a
// conversion.)
func ParseFormat(format string) []Verb {
	var out []Verb
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		j := i + 1
		if j < len(format) && format[j] == '-' {
			j++
		}
		for j < len(format) && format[j] >= '0' && format[j] <= '9' {
			j++
		}
		if j+1 < len(format) && format[j] == '.' && format[j+1] >= '0' && format[j+1] <= '9' {
			j++
			for j < len(format) && format[j] >= '0' && format[j] <= '9' {
				j++
			}
		}
		for _, pc := range printfConvs {
			if strings.HasPrefix(format[j:], pc.conv) {
				end := j + len(pc.conv)
				out = append(out, Verb{Text: format[i:end], Flags: format[i+1 : j], Conv: pc.conv, Kind: pc.kind})
				i = end - 1
				break
			}
		}
	}
	return out
}

// printfKind is the kind a printf argument counts as: symbols, stacks and
// probe names print as strings, pointers as integers.
func printfKind(t *Type) Kind {
	switch t.Kind {
	case Usym, Ksym, Probe, Ustack, Kstack:
		return String
	case Pointer:
		return Int
	}
	return t.Kind
}

// printf checks printf(fmt, args...) once its arguments are typed.
func (c *checker) printf(e *ast.Call, ci *CallInfo) {
	if !c.varargs(e, 1, 128) {
		return
	}
	if !c.literal(e, 0, String) {
		return
	}
	verbs := ParseFormat(e.Args[0].(*ast.Str).Value)
	args := e.Args[1:]
	if len(args) < len(verbs) {
		c.errorf(e.Span, "printf: Not enough arguments for format string (%d supplied, %d expected)", len(args), len(verbs))
		return
	}
	if len(args) > len(verbs) {
		c.errorf(e.Span, "printf: Too many arguments for format string (%d supplied, %d expected)", len(args), len(verbs))
		return
	}
	for i, v := range verbs {
		t := c.info.TypeOf(args[i])
		if t.IsNone() {
			return
		}
		k := printfKind(t)
		if v.Conv[0] == 'r' {
			// %r wants a buffer; 0.17 has buf() only, which we do not
			// support yet.
			c.errorf(e.Span, "printf: %%%s specifier expects a value of type buffer (%s supplied)", v.Conv, k)
			return
		}
		if k != v.Kind {
			c.errorf(e.Span, "printf: %%%s specifier expects a value of type %s (%s supplied)", v.Conv, v.Kind, k)
			return
		}
	}
	ci.Verbs = verbs
}
