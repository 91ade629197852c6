package types

import (
	"fmt"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/goabi"
)

// Go composites. print(args.m) of a Go struct, array, slice or interface
// value, or of a pointer to a struct or array, prints it the way Go's %+v
// does ({Units:1 Nanos:-10000000 CurrencyCode:USD}, &{...}, [1 2 3]); so
// does printf's %s. print(args) and print(rets) print every parameter or
// result as the fields of one struct ({m:{Units:1 ...} p:0xc000012345}). The checker expands the value into its leaves (the
// scalars, strings and words to read, each a GoValue like args.m.Units
// would be) and a shape that says how user space puts them back together.
// Codegen writes every leaf into one record argument (Record: a tuple
// with each leaf 8-aligned); user space formats it from the shape.
//
// What cannot be read prints as `?`: a float in an X register (not in
// pt_regs), a complex number, a value split over part of a register. A
// pointer inside the value prints as its address (0xc000012345, <nil>
// for 0), as %+v does below the top level; maps, chans, funcs and
// unsafe pointers print as their word in the same way. A slice prints its
// first MaxGoSliceElems elements as far as its length goes ([1 2 3],
// [1 2 3 4 5 6 7 8 ...]): they are all read, since the length is known
// only when the probe fires. An interface prints as
// {tab:0x.. data:0x..} (<nil> when its tab word is 0). Arrays print at
// most MaxGoElems elements, then "...". A value with more leaves than
// MaxGoLeaves, or more record bytes than MaxGoRecord, prints the fields
// and elements that fit, then "..." where the rest would be
// ({A:1 B:2 ...}): a big struct is still worth a look.

// Limits on one printed composite: each leaf costs a few instructions and
// its room in the record (a string StringSize bytes).
const (
	MaxGoLeaves = 64 // scalars, strings and words read for one value; the rest print as "..."
	MaxGoElems  = 16 // array elements printed; the rest print as "..."
	// MaxGoSliceElems slice elements are read: a slice's length is known
	// only when the probe fires.
	MaxGoSliceElems = 8
	MaxGoDepth      = 8    // nesting of structs and arrays
	MaxGoRecord     = 2048 // bytes of record for one value; the rest print as "..."
)

// GoShapeKind is how one node of a GoShape prints.
type GoShapeKind uint8

const (
	GoMissing GoShapeKind = iota // cannot be read: "?"
	GoInt                        // signed or unsigned integer, by its leaf type
	GoBool                       // true or false
	GoFloat                      // float32/float64, shortest form
	GoString                     // the string's bytes
	GoWord                       // pointer, map, chan, func, unsafe.Pointer: 0x.. or <nil>
	GoStruct                     // {Name:value ...}
	GoArray                      // [a b c]
	GoSlice                      // [e0 e1 ...]: Elems are len, cap, array, then the first MaxGoSliceElems elements
	GoIface                      // {tab:0x.. data:0x..}, <nil> when tab is 0: Elems are tab, data
	GoRef                        // a top-level pointer to a struct or array: &{...}; Leaf is the address
)

// GoShape describes how a Go composite's leaves print.
type GoShape struct {
	Kind  GoShapeKind
	Type  string     // the Go type, for messages
	Leaf  int        // index in GoComposite.Leaves (scalars, GoRef's address); -1 when none
	Names []string   // GoStruct: names of the fields in Elems, in order
	Elems []*GoShape // fields, elements, or the words of GoSlice and GoIface; GoRef: the pointee
	// Len is, for GoArray, the array's length and, for GoStruct, its
	// number of fields; Elems holds fewer when the rest do not fit.
	Len int64
}

// GoLeaf is one value a composite's record carries.
type GoLeaf struct {
	Value  *GoValue
	Type   *Type // in the record: Int (Go's size and sign), Float or String
	Offset int   // byte offset in the record argument
}

// GoComposite is a Go composite value to print.
type GoComposite struct {
	Shape  *GoShape
	Leaves []GoLeaf
	// Record is the record argument: a Tuple whose fields are the leaves
	// at their offsets.
	Record *Type
	// Binary is the traced Go binary, whose symbols name the dynamic
	// types of interface values.
	Binary string
}

// isGoComposite reports whether a value of Go type t prints as a
// composite at the top level.
func isGoComposite(t *goabi.Type) bool {
	if t == nil {
		return false
	}
	switch t.Kind {
	case goabi.Struct, goabi.Array, goabi.Slice, goabi.Interface:
		return true
	case goabi.Pointer:
		return t.Elem != nil && (t.Elem.Kind == goabi.Struct || t.Elem.Kind == goabi.Array)
	}
	return false
}

// goCompositeArg expands a print or printf argument e that is a Go
// composite, records it, and reports whether it is one. Errors (limits)
// are reported at e; it is still a composite then.
func (c *checker) goCompositeArg(e ast.Expr) bool {
	v := c.info.GoValues[e]
	if v == nil || v.Func == nil && !isGoComposite(v.Type) {
		return false
	}
	x := &goExpander{}
	var shape *GoShape
	if v.Func != nil {
		var why string
		if shape, why = x.root(v); why != "" {
			c.errorf(e.Range(), "%s", why)
			return true
		}
	} else if v.Type.Kind == goabi.Pointer {
		shape = &GoShape{Kind: GoRef, Type: v.Type.String(), Leaf: x.leaf(v, IntType(8, false))}
		if shape.Leaf < 0 {
			shape = &GoShape{Kind: GoMissing, Leaf: -1}
		} else {
			pointee := x.expand(&GoValue{Type: v.Type.Elem, Base: v}, 1)
			if pointee == nil {
				pointee = &GoShape{Kind: GoMissing, Leaf: -1}
			}
			shape.Elems = []*GoShape{pointee}
		}
	} else {
		shape = x.expand(v, 0)
	}
	if x.tooDeep {
		c.errorf(e.Range(), "cannot print this %s value: it nests structs and arrays more than %d deep; print a part of it", v.Type, MaxGoDepth)
	}
	if shape == nil { // not even the first leaf fits
		shape = &GoShape{Kind: GoMissing, Leaf: -1}
	}
	rec := &Type{Kind: Tuple, Size: x.size}
	for _, l := range x.leaves {
		rec.Fields = append(rec.Fields, Field{Type: l.Type, Offset: l.Offset})
	}
	if rec.Size == 0 {
		rec.Size = 8 // an empty struct still takes a word
	}
	if c.info.GoComposites == nil {
		c.info.GoComposites = map[ast.Expr]*GoComposite{}
	}
	comp := &GoComposite{Shape: shape, Leaves: x.leaves, Record: rec}
	if ts := c.probe.Targets; len(ts) > 0 {
		comp.Binary = ts[0].Binary
	}
	c.info.GoComposites[e] = comp
	return true
}

// root expands print(args) or print(rets): every parameter (result) of
// the function, as the fields of a struct named after them. A probe on
// several functions prints them only when they all have the same ones.
func (x *goExpander) root(v *GoValue) (*GoShape, string) {
	list := func(f *goabi.Func) []*goabi.Param {
		if v.Results {
			return f.Results
		}
		return f.Params
	}
	ps := list(v.Func)
	for _, f := range v.Others {
		qs := list(f)
		same := len(qs) == len(ps)
		for i := 0; same && i < len(ps); i++ {
			same = qs[i].Name == ps[i].Name && qs[i].Type.String() == ps[i].Type.String() && qs[i].Loc.String() == ps[i].Loc.String()
		}
		if !same {
			return nil, fmt.Sprintf("cannot print all of them: the functions this probe attaches to differ (%s, %s); print one by name", v.Func.Name, f.Name)
		}
	}
	s := &GoShape{Kind: GoStruct, Type: v.Func.Name, Leaf: -1, Len: int64(len(ps))}
	for _, p := range ps {
		e := x.expand(&GoValue{Type: p.Type, Pieces: goPieces("amd64", p.Loc)}, 1)
		if e == nil {
			break
		}
		s.Names = append(s.Names, p.Name)
		s.Elems = append(s.Elems, e)
	}
	return s, ""
}

// goExpander turns a Go value into leaves and a shape.
type goExpander struct {
	leaves  []GoLeaf
	size    int
	tooDeep bool
	full    bool // a leaf did not fit: expand no more
}

// leaf adds v as a leaf of record type t and returns its index, -1 when
// v cannot be read, or -2 when it does not fit in the limits (full is
// set then).
func (x *goExpander) leaf(v *GoValue, t *Type) int {
	if t.Kind == String {
		if v.Part(0, 8, nil).loadable(8) != "" || v.Part(8, 8, nil).loadable(8) != "" {
			return -1
		}
	} else if v.loadable(v.Type.Size) != "" {
		return -1
	}
	room := (max(t.Size, 8) + 7) &^ 7
	if x.full || len(x.leaves) >= MaxGoLeaves || x.size+room > MaxGoRecord {
		x.full = true
		return -2
	}
	x.leaves = append(x.leaves, GoLeaf{Value: v, Type: t, Offset: x.size})
	x.size += room
	return len(x.leaves) - 1
}

// expand describes v, at nesting depth, or returns nil when nothing more
// fits (the caller prints "..." there).
func (x *goExpander) expand(v *GoValue, depth int) *GoShape {
	t := v.Type
	s := &GoShape{Kind: GoMissing, Type: t.String(), Leaf: -1}
	if x.full {
		return nil
	}
	if depth > MaxGoDepth {
		x.tooDeep = true
		return s
	}
	scalar := func(k GoShapeKind, bt *Type) *GoShape {
		switch s.Leaf = x.leaf(v, bt); {
		case s.Leaf == -2:
			return nil
		case s.Leaf >= 0:
			s.Kind = k
		}
		return s
	}
	// words expands the fixed words of a slice or interface: all or none.
	words := func(parts ...*GoValue) []*GoShape {
		var out []*GoShape
		for _, p := range parts {
			w := x.expand(p, depth+1)
			if w == nil {
				return nil
			}
			out = append(out, w)
		}
		return out
	}
	switch t.Kind {
	case goabi.Bool:
		return scalar(GoBool, IntType(1, false))
	case goabi.Int, goabi.Uint:
		switch t.Size {
		case 1, 2, 4, 8:
			return scalar(GoInt, IntType(int(t.Size), t.Kind == goabi.Int))
		}
	case goabi.Float:
		if (t.Size == 4 || t.Size == 8) && floatRegister(v) == "" {
			return scalar(GoFloat, FloatType(int(t.Size)))
		}
	case goabi.String:
		return scalar(GoString, StringType(StringSize))
	case goabi.Pointer, goabi.UnsafePointer, goabi.Map, goabi.Chan, goabi.FuncKind:
		return scalar(GoWord, IntType(8, false))
	case goabi.Struct:
		s.Kind, s.Len = GoStruct, int64(len(t.Fields))
		for _, f := range t.Fields {
			e := x.expand(v.Part(f.Offset, f.Type.Size, f.Type), depth+1)
			if e == nil {
				break
			}
			s.Names = append(s.Names, f.Name)
			s.Elems = append(s.Elems, e)
		}
		if len(s.Elems) == 0 && s.Len > 0 && x.full {
			return nil
		}
	case goabi.Array:
		s.Kind, s.Len = GoArray, t.Len
		for i := int64(0); i < min(t.Len, MaxGoElems) && t.Elem != nil; i++ {
			e := x.expand(v.Part(i*t.Elem.Size, t.Elem.Size, t.Elem), depth+1)
			if e == nil {
				break
			}
			s.Elems = append(s.Elems, e)
		}
		if len(s.Elems) == 0 && s.Len > 0 && x.full {
			return nil
		}
	case goabi.Slice:
		s.Kind = GoSlice
		word := goabi.UintType(8)
		if s.Elems = words(v.Part(8, 8, goabi.IntType(8)), v.Part(16, 8, goabi.IntType(8)),
			v.Part(0, 8, goabi.WordType(goabi.UnsafePointer, word.Name))); s.Elems == nil {
			return nil
		}
		// The first elements, read whether or not the length reaches
		// them (a read past the array gives zeros): user space prints as
		// many as the length says.
		if el := t.Elem; el != nil && el.Size > 0 {
			ptr := v.Part(0, 8, goabi.PointerTo(el))
			for i := int64(0); i < MaxGoSliceElems; i++ {
				e := x.expand(&GoValue{Type: el, Base: ptr, Offset: i * el.Size}, depth+1)
				if e == nil {
					break
				}
				s.Elems = append(s.Elems, e)
			}
		}
	case goabi.Interface:
		s.Kind = GoIface
		w := goabi.WordType(goabi.UnsafePointer, "uintptr")
		if s.Elems = words(v.Part(0, 8, w), v.Part(8, 8, w)); s.Elems == nil {
			return nil
		}
	}
	return s
}

// String describes the shape as Go source would spell the value's
// layout: for tests and listings.
func (s *GoShape) String() string {
	switch s.Kind {
	case GoStruct:
		out := "{"
		for i, e := range s.Elems {
			if i > 0 {
				out += " "
			}
			out += s.Names[i] + ":" + e.String()
		}
		if s.Len > int64(len(s.Elems)) {
			out += " ..."
		}
		return out + "}"
	case GoArray:
		out := "["
		for i, e := range s.Elems {
			if i > 0 {
				out += " "
			}
			out += e.String()
		}
		if s.Len > int64(len(s.Elems)) {
			out += " ..."
		}
		return out + "]"
	case GoSlice:
		out := fmt.Sprintf("[len=%s cap=%s %s", s.Elems[0], s.Elems[1], s.Elems[2])
		for i, e := range s.Elems[3:] {
			if i == 0 {
				out += ":"
			}
			out += " " + e.String()
		}
		return out + "]"
	case GoIface:
		return fmt.Sprintf("{tab:%s data:%s}", s.Elems[0], s.Elems[1])
	case GoRef:
		return fmt.Sprintf("&#%d%s", s.Leaf, s.Elems[0])
	case GoMissing:
		return "?"
	}
	return fmt.Sprintf("#%d", s.Leaf)
}
