package types

import (
	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/output"
)

// ParseFormat finds the conversions of a printf format string the way
// bpftrace 0.17 does (output.ParseFormat: `%`, an optional `-`, digits, an
// optional `.digits`, then a known conversion; 0.17 has no `%%`, so in
// "100%%d" the second `%d` is a conversion), with the kind of value each
// takes (output.Spec.ArgKind). The float conversions %f %e %g %a (and
// upper-case), with C's flags, are ours: 0.17 has no floats, and where it
// reads such text as literal with nargs arguments, so do we
// (output.ParseFormatFor).
func ParseFormat(format string, nargs int) []Verb {
	f, err := output.ParseFormatFor(format, nargs)
	if err != nil {
		return nil
	}
	specs := f.Specs()
	out := make([]Verb, len(specs))
	for i := range specs {
		sp := &specs[i]
		text := format[sp.Start:sp.End]
		tok := sp.Token()
		kind := Int
		switch sp.ArgKind() {
		case output.String, output.Buffer:
			kind = String
		case output.Float:
			kind = Float
		}
		out[i] = Verb{Text: text, Flags: text[1 : len(text)-len(tok)], Conv: tok, Kind: kind}
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
	args := e.Args[1:]
	verbs := ParseFormat(e.Args[0].(*ast.Str).Value, len(args))
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
		if v.Kind == String && k != String && c.goCompositeArg(args[i]) {
			continue
		}
		if k != v.Kind {
			c.errorf(e.Span, "printf: %%%s specifier expects a value of type %s (%s supplied)", v.Conv, v.Kind, printfTypeName(t))
			return
		}
	}
	ci.Verbs = verbs
}
