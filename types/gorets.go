package types

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/goabi"
)

// Go results at return probes: `rets`. A return probe on a Go function is
// a uprobe at each of its RET instructions (Target.Returns). There the
// register ABI has put the results in registers counted from RAX again,
// and the ones that did not fit in the caller's result slots above the
// stack arguments; the stack pointer points at the return address, as at
// entry, so goabi's stack offsets (relative to SP at entry) hold at each
// RET too. `rets.NAME` reads a named result, `rets.N` the Nth (from 0),
// named or not (DWARF calls unnamed results ~r0, ~r1, ...).

// retsOnly is the rule `rets` breaks outside a Go return probe.
const retsOnly = "The rets builtin can only be used with 'uretprobe' probes on Go functions"

// goRets types `rets` at a return probe on a Go function.
func (c *checker) goRets(e *ast.Ident) *Type {
	if msg := c.retsMisplaced(); msg != "" {
		c.errorf(e.Span, "%s", msg)
		return TypeNone
	}
	var root *GoValue
	for _, t := range c.probe.Targets {
		f, msg := c.retsFunc(t)
		if msg != "" {
			c.errorf(e.Span, "%s", msg)
			return TypeNone
		}
		switch {
		case root == nil:
			root = &GoValue{Func: f, Results: true}
		case f != root.Func && !slices.Contains(root.Others, f):
			root.Others = append(root.Others, f)
		}
	}
	if root == nil {
		c.errorf(e.Span, "rets needs an attached uretprobe")
		return TypeNone
	}
	c.recordGo(e, root)
	return RecordType("rets")
}

// retsMisplaced says why `rets` cannot be used in the current probe, or
// "" when every target is a return probe on a Go binary.
func (c *checker) retsMisplaced() string {
	p := c.singleProvider()
	switch p {
	case "uretprobe":
	case "":
		var ps []string
		for _, p := range c.providers() {
			if n := providerName(p); !slices.Contains(ps, n) {
				ps = append(ps, n)
			}
		}
		return fmt.Sprintf("%s (%s used here)", retsOnly, strings.Join(ps, " and "))
	case "uprobe":
		return retsOnly + " (uprobe used here: at a Go function's entry, its parameters are args.NAME)"
	case "kretprobe":
		return retsOnly + " (kretprobe used here: use retval)"
	default:
		return fmt.Sprintf("%s (%s used here)", retsOnly, providerName(p))
	}
	for _, t := range c.probe.Targets {
		if !t.IsGo {
			return fmt.Sprintf("%s (%s is not a Go program: use retval)", retsOnly, t.Binary)
		}
	}
	return ""
}

// retsFunc describes the Go function whose RETs the return-probe target
// t attaches to, or says why it cannot.
func (c *checker) retsFunc(t *Target) (*goabi.Func, string) {
	b, err := c.env.Binary(t.Binary)
	if err != nil {
		return nil, err.Error()
	}
	name := t.Symbol
	if name == "" {
		s, ok := b.funcAt(t.Address)
		if !ok {
			return nil, fmt.Sprintf("rets: no function starts at %#x in %s", t.Address, t.Binary)
		}
		name = s.Name
	}
	if len(t.Returns) == 0 {
		return nil, fmt.Sprintf("rets: the return probe on %s has no RET instruction to read results at", name)
	}
	s, err := b.goSource()
	if err != nil {
		return nil, err.Error()
	}
	if arch, _ := s.ABI(); arch != "amd64" {
		return nil, fmt.Sprintf("rets on %s Go binaries is not supported yet", arch)
	}
	f, err := goFuncIn(s, b, name)
	if err != nil {
		return nil, noDWARF(t.Binary, err)
	}
	return f, ""
}

// goResult types rets.NAME or rets.N: the result must be the same (type
// and place) in every function the probe attaches to.
func (c *checker) goResult(e *ast.Field, v *GoValue) *Type {
	r, msg := findResult(v.Func, e.Name)
	if msg != "" {
		c.errorf(e.Span, "%s", msg)
		return TypeNone
	}
	for _, f := range v.Others {
		q, msg := findResult(f, e.Name)
		switch {
		case msg != "":
			c.errorf(e.Span, "rets.%s is not a result of every function this probe attaches to: %s", e.Name, msg)
			return TypeNone
		case q.Type.String() != r.Type.String() || q.Type.Size != r.Type.Size || q.Loc.String() != r.Loc.String():
			c.errorf(e.Span, "rets.%s differs between the functions this probe attaches to (%s: %s at %s; %s: %s at %s)",
				e.Name, v.Func.Name, r.Type, r.Loc, f.Name, q.Type, q.Loc)
			return TypeNone
		}
	}
	if r.Type.Size > 0 && len(r.Loc.Pieces) == 0 {
		c.errorf(e.Span, "the location of result '%s' is unknown", r.Name)
		return TypeNone
	}
	return c.goTyped(e, &GoValue{Type: r.Type, Pieces: goPieces("amd64", r.Loc)})
}

// findResult returns f's result called name, or its result number name
// (from 0), or says why there is none.
func findResult(f *goabi.Func, name string) (*goabi.Param, string) {
	if i, err := strconv.Atoi(name); err == nil {
		switch {
		case len(f.Results) == 0:
			return nil, fmt.Sprintf("%s has no results", f.Name)
		case i >= len(f.Results):
			return nil, fmt.Sprintf("%s has %d results: rets.%d is out of range (rets.0 to rets.%d)", f.Name, len(f.Results), i, len(f.Results)-1)
		}
		return f.Results[i], ""
	}
	var names []string
	for _, r := range f.Results {
		if r.Name == name {
			return r, ""
		}
		names = append(names, r.Name)
	}
	if len(names) == 0 {
		return nil, fmt.Sprintf("%s has no results", f.Name)
	}
	return nil, fmt.Sprintf("%s has no result '%s' (results: %s; rets.0 to rets.%d by position)", f.Name, name, strings.Join(names, ", "), len(names)-1)
}

// Interfaces. A Go interface value is two words: the first is, for an
// interface with methods (error, fmt.Stringer), a pointer to its itab
// and, for an empty one (any), a pointer to its dynamic type; either is 0
// exactly when the interface is nil. The second points at the data. A
// script reads them as the unsigned integers X.tab and X.data, whatever
// DWARF calls them (runtime.iface's tab, runtime.eface's _type), so that
// `/rets.err.tab != 0/` selects the calls that failed.

// ifaceWords are the names of an interface's words.
var ifaceWords = map[string]int64{"tab": 0, "data": 8}

// interfaceWord returns the word called name of interface type t, as a
// uintptr field.
func interfaceWord(t *goabi.Type, name string) (goabi.Field, bool) {
	off, ok := ifaceWords[name]
	if !ok {
		f, found := t.Field(name) // DWARF's own name (_type)
		if !found || f.Type.Size != 8 || f.Offset%8 != 0 {
			return goabi.Field{}, false
		}
		off = f.Offset
	}
	if t.Size != 16 {
		return goabi.Field{}, false
	}
	return goabi.Field{Name: name, Offset: off, Type: &goabi.Type{Name: "uintptr", Kind: goabi.Uint, Size: 8, Align: 8}}, true
}

// interfaceHint tells how to test a Go interface value e for nil, or "".
func (c *checker) interfaceHint(e ast.Expr) string {
	if v := c.info.GoValues[e]; v != nil && v.Type != nil && v.Type.Kind == goabi.Interface {
		return fmt.Sprintf(" (%s is a Go interface: %s.tab != 0 tests that it is not nil)", ast.FormatNode(e), ast.FormatNode(e))
	}
	return ""
}

// noInterfaceField words the error for a field an interface lacks.
func noInterfaceField(t *goabi.Type, name string) string {
	return fmt.Sprintf("Go type %s has no field '%s': an interface has two words, .tab (its itab or type pointer, 0 when the interface is nil) and .data", t, name)
}

// argsAtReturn words why `args` cannot be used at a return probe, and what
// to use instead.
func (c *checker) argsAtReturn() string {
	for _, t := range c.probe.Targets {
		if !t.IsGo {
			return "a Go function's arguments are gone when it returns; save what you need at entry (e.g. @x[goid] = args.NAME)"
		}
	}
	return "a Go function's arguments are gone when it returns; its results are rets.NAME (or rets.0, rets.1, ... by position), and arguments can be saved at entry (e.g. @x[goid] = args.NAME)"
}
