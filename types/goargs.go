package types

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/goabi"
)

// GoPiece is one part of a Go value at function entry: a register (RegOff
// is its offset in struct pt_regs) or a stack slot (RegOff < 0, Stack is
// its address relative to the stack pointer at entry).
type GoPiece struct {
	Reg    string // "RAX", or "" on the stack
	RegOff int    // pt_regs offset; -1 on the stack or for registers not in pt_regs
	Stack  int64
	Offset int64 // bytes [Offset, Offset+Size) of the value
	Size   int64
}

// GoValue tells codegen where a Go value reached from `args` or `rets`
// is: either part of a parameter at entry or of a result at a RET
// (Pieces), or in user memory at Offset from the pointer that Base
// evaluates to.
type GoValue struct {
	Type *goabi.Type // nil for the `args` and `rets` roots
	Func *goabi.Func // the roots only
	// Others are the functions of the probe's other targets (the `args`
	// root of a probe that attaches to several): a parameter must be the
	// same in all of them.
	Others []*goabi.Func
	// Results marks the `rets` root: its fields are Func's results.
	Results bool
	Pieces  []GoPiece
	Base    *GoValue
	Offset  int64
}

// Part returns the value of size bytes at byte off of v.
func (v *GoValue) Part(off, size int64, t *goabi.Type) *GoValue {
	if v.Base != nil {
		return &GoValue{Type: t, Base: v.Base, Offset: v.Offset + off}
	}
	out := &GoValue{Type: t}
	for _, p := range v.Pieces {
		lo, hi := max(p.Offset, off), min(p.Offset+p.Size, off+size)
		if lo >= hi {
			continue
		}
		q := p
		if q.Reg == "" {
			q.Stack += lo - p.Offset
		} else if lo != p.Offset || hi != p.Offset+p.Size {
			q.RegOff = -1 // part of a register: not supported
		}
		q.Offset, q.Size = lo-off, hi-lo
		out.Pieces = append(out.Pieces, q)
	}
	return out
}

// loadable reports why a scalar of size bytes cannot be read from v, or "".
func (v *GoValue) loadable(size int64) string {
	if v.Base != nil {
		return v.Base.loadable(8)
	}
	if len(v.Pieces) != 1 || v.Pieces[0].Offset != 0 || v.Pieces[0].Size != size {
		return "it is not in one register or stack slot"
	}
	p := v.Pieces[0]
	if p.Reg != "" && p.RegOff < 0 {
		return fmt.Sprintf("register %s is not in pt_regs", p.Reg)
	}
	return ""
}

func goPieces(arch string, l goabi.Location) []GoPiece {
	var out []GoPiece
	for _, p := range l.Pieces {
		q := GoPiece{Reg: p.Reg, RegOff: -1, Stack: p.Stack, Offset: p.Offset, Size: p.Size}
		if p.Reg != "" {
			if off, ok := goabi.PtRegsOffset(arch, p.Reg); ok {
				q.RegOff = off
			}
		}
		out = append(out, q)
	}
	return out
}

// recordGo records v as the Go value of e.
func (c *checker) recordGo(e ast.Expr, v *GoValue) {
	if c.info.GoValues == nil {
		c.info.GoValues = map[ast.Expr]*GoValue{}
	}
	c.info.GoValues[e] = v
}

// goBinaries returns the Go sources of the current probe's targets, or an
// error message.
func (c *checker) goTargets(what string) ([]GoSource, []*Target, string) {
	var srcs []GoSource
	var ts []*Target
	for _, t := range c.probe.Targets {
		if t.Provider != "uprobe" && t.Provider != "uretprobe" {
			return nil, nil, fmt.Sprintf("%s can only be used in uprobes on Go programs", what)
		}
		b, err := c.env.Binary(t.Binary)
		if err != nil {
			return nil, nil, err.Error()
		}
		if !b.IsGo {
			return nil, nil, fmt.Sprintf("%s can only be used in uprobes on Go programs (%s is not a Go program)", what, t.Binary)
		}
		s, err := b.goSource()
		if err != nil {
			return nil, nil, err.Error()
		}
		srcs, ts = append(srcs, s), append(ts, t)
	}
	if len(srcs) == 0 {
		return nil, nil, fmt.Sprintf("%s needs an attached uprobe", what)
	}
	return srcs, ts, ""
}

// noDWARF words a missing-DWARF error for the user.
func noDWARF(path string, err error) string {
	if errors.Is(err, goabi.ErrNoDWARF) {
		return fmt.Sprintf("%s has no DWARF debug info (was it built with -ldflags=-w?): Go arguments, results and goid need it; reg(\"ax\") and friends still work", path)
	}
	return err.Error()
}

// goArgs types `args` in a uprobe on a Go function.
func (c *checker) goArgs(e *ast.Ident) *Type {
	srcs, ts, msg := c.goTargets("args")
	if msg != "" {
		c.errorf(e.Span, "%s", msg)
		return TypeNone
	}
	var root *GoValue
	for i, s := range srcs {
		t := ts[i]
		if t.Symbol == "" || t.Offset != 0 {
			c.errorf(e.Span, "args is only available at the entry of a Go function (%s)", t.Name)
			return TypeNone
		}
		arch, reg := s.ABI()
		if arch != "amd64" {
			c.errorf(e.Span, "args on %s Go binaries is not supported yet", arch)
			return TypeNone
		}
		f, err := c.goFuncOf(s, t)
		if err != nil {
			c.errorf(e.Span, "%s", noDWARF(t.Binary, err))
			return TypeNone
		}
		_ = reg
		if i == 0 {
			root = &GoValue{Func: f}
		} else if f != root.Func {
			root.Others = append(root.Others, f)
		}
	}
	c.recordGo(e, root)
	return RecordType("args")
}

// sameParam checks that parameter name, as p of v.Func, has the same
// type and place in every other function the probe attaches to (methods
// of one type matched by a wildcard share their receiver), and says why
// not.
func sameParam(v *GoValue, name string, p *goabi.Param) string {
	for _, f := range v.Others {
		q, ok := f.Param(name)
		switch {
		case !ok:
			return fmt.Sprintf("parameter '%s' is not in every function this probe attaches to (%s has none; %s has it)", name, f.Name, v.Func.Name)
		case q.Type.String() != p.Type.String() || q.Type.Size != p.Type.Size || q.Loc.String() != p.Loc.String():
			return fmt.Sprintf("parameter '%s' differs between the functions this probe attaches to (%s: %s at %s; %s: %s at %s)",
				name, v.Func.Name, p.Type, p.Loc, f.Name, q.Type, q.Loc)
		}
	}
	return ""
}

// goField types x.name (or x->name) where x is a Go value.
func (c *checker) goField(e *ast.Field, v *GoValue) *Type {
	if v.Func != nil && v.Results {
		return c.goResult(e, v)
	}
	if v.Func != nil {
		p, ok := v.Func.Param(e.Name)
		if !ok {
			var names []string
			for _, p := range v.Func.Params {
				names = append(names, p.Name)
			}
			c.errorf(e.Span, "%s has no parameter '%s' (parameters: %s)", v.Func.Name, e.Name, strings.Join(names, ", "))
			return TypeNone
		}
		if p.Type.Size > 0 && len(p.Loc.Pieces) == 0 {
			c.errorf(e.Span, "the location of parameter '%s' is unknown", e.Name)
			return TypeNone
		}
		if why := sameParam(v, e.Name, p); why != "" {
			c.errorf(e.Span, "%s", why)
			return TypeNone
		}
		return c.goTyped(e, &GoValue{Type: p.Type, Pieces: goPieces("amd64", p.Loc)})
	}
	t := v.Type
	if t.Kind == goabi.Pointer && t.Elem != nil && t.Elem.Kind == goabi.Interface {
		f, ok := interfaceWord(t.Elem, e.Name)
		if !ok {
			c.errorf(e.Span, "%s", noInterfaceField(t.Elem, e.Name))
			return TypeNone
		}
		return c.goTyped(e, &GoValue{Type: f.Type, Base: v, Offset: f.Offset})
	}
	if t.Kind == goabi.Pointer && t.Elem != nil {
		f, ok := t.Elem.Field(e.Name)
		if !ok || t.Elem.Kind != goabi.Struct {
			c.errorf(e.Span, "Go type %s has no field '%s'", t.Elem, e.Name)
			return TypeNone
		}
		return c.goTyped(e, &GoValue{Type: f.Type, Base: v, Offset: f.Offset})
	}
	if t.Kind == goabi.Interface {
		f, ok := interfaceWord(t, e.Name)
		if !ok {
			c.errorf(e.Span, "%s", noInterfaceField(t, e.Name))
			return TypeNone
		}
		return c.goTyped(e, v.Part(f.Offset, f.Type.Size, f.Type))
	}
	f, ok := t.Field(e.Name)
	if !ok {
		c.errorf(e.Span, "Go type %s has no field '%s'", t, e.Name)
		return TypeNone
	}
	return c.goTyped(e, v.Part(f.Offset, f.Type.Size, f.Type))
}

// goIndex types x[i] where x is a Go slice, array or pointer.
func (c *checker) goIndex(e *ast.Index, v *GoValue) *Type {
	lit, ok := e.Index.(*ast.Int)
	if !ok {
		c.errorf(e.Span, "The array index operator [] only accepts literal integer indices.")
		return TypeNone
	}
	t, i := v.Type, int64(lit.Value)
	if v.Func != nil && v.Results {
		c.errorf(e.Span, "The array index operator [] can not be used on rets: results are rets.NAME, or rets.0, rets.1, ... by position")
		return TypeNone
	}
	if v.Func != nil || t.Elem == nil || i < 0 {
		c.errorf(e.Span, "The array index operator [] can not be used on Go type %s", goTypeName(v))
		return TypeNone
	}
	el := t.Elem
	switch t.Kind {
	case goabi.Slice:
		ptr := v.Part(0, 8, goabi.PointerTo(el))
		return c.goTyped(e, &GoValue{Type: el, Base: ptr, Offset: i * el.Size})
	case goabi.Pointer:
		return c.goTyped(e, &GoValue{Type: el, Base: v, Offset: i * el.Size})
	case goabi.Array:
		if i >= t.Len {
			c.errorf(e.Span, "the index %d is out of bounds for array of size %d", i, t.Len)
			return TypeNone
		}
		return c.goTyped(e, v.Part(i*el.Size, el.Size, el))
	}
	c.errorf(e.Span, "The array index operator [] can not be used on Go type %s", t)
	return TypeNone
}

func goTypeName(v *GoValue) string {
	if v.Type == nil {
		return "args"
	}
	return v.Type.String()
}

// goTyped records v for e and returns its bpftrace type; scalars and
// strings must be readable.
func (c *checker) goTyped(e ast.Expr, v *GoValue) *Type {
	t := v.Type
	var bt *Type
	switch t.Kind {
	case goabi.Bool:
		bt = IntType(1, false)
	case goabi.Int, goabi.Uint:
		bt = IntType(int(t.Size), t.Kind == goabi.Int)
	case goabi.Pointer:
		bt = PointerTo(&Type{Kind: Record, Name: t.Elem.String(), Size: int(t.Elem.Size)})
	case goabi.UnsafePointer, goabi.Map, goabi.Chan, goabi.FuncKind:
		bt = TypeUint64
	case goabi.String:
		bt = StringType(StringSize)
	case goabi.Float, goabi.Complex:
		return c.goFloat(e, v)
	default:
		c.recordGo(e, v)
		return &Type{Kind: Record, Name: t.String(), Size: int(t.Size)}
	}
	check := func(w *GoValue, size int64) bool {
		if why := w.loadable(size); why != "" {
			c.errorf(e.Range(), "cannot read this %s value: %s", t, why)
			return false
		}
		return true
	}
	if t.Kind == goabi.String {
		if !check(v.Part(0, 8, nil), 8) || !check(v.Part(8, 8, nil), 8) {
			return TypeNone
		}
	} else if !check(v, t.Size) {
		return TypeNone
	}
	c.recordGo(e, v)
	return bt
}

// goid types the goid builtin: the current goroutine's id.
func (c *checker) goid(e *ast.Ident) *Type {
	srcs, ts, msg := c.goTargets("goid")
	if msg != "" {
		c.errorf(e.Span, "%s", msg)
		return TypeNone
	}
	off := -1
	for i, s := range srcs {
		arch, reg := s.ABI()
		if arch != "amd64" || !reg {
			c.errorf(e.Span, "goid needs Go's register ABI on amd64 (%s is %s without it)", ts[i].Binary, arch)
			return TypeNone
		}
		o, err := s.GoidOffset()
		if err != nil {
			c.errorf(e.Span, "%s", noDWARF(ts[i].Binary, err))
			return TypeNone
		}
		if off >= 0 && o != off {
			c.errorf(e.Span, "goid: the binaries of this probe place runtime.g's goid differently")
			return TypeNone
		}
		off = o
	}
	if c.info.Goids == nil {
		c.info.Goids = map[*ast.Ident]int{}
	}
	c.info.Goids[e] = off
	c.info.Builtins[e] = "goid"
	return TypeUint64
}

// GoFunc describes the Go function a uprobe target attaches to, read from
// the DWARF of its binary (for listings such as `-lv`).
func (t *Target) GoFunc() (*goabi.Func, error) {
	if !t.IsGo || t.Symbol == "" {
		return nil, fmt.Errorf("%s is not a Go function", t.Name)
	}
	s, err := (&Binary{Path: t.Binary, IsGo: true}).goSource()
	if err != nil {
		return nil, err
	}
	f, err := s.Func(t.Symbol)
	if err != nil {
		return nil, errors.New(noDWARF(t.Binary, err))
	}
	return f, nil
}
