package goabi

import (
	"debug/dwarf"
	"fmt"
	"strings"
)

// Kind is the shape of a Go type as far as the ABI and a tracer care.
type Kind int

const (
	Invalid Kind = iota
	Bool
	Int // signed integer of Size bytes
	Uint
	Float
	Complex
	String // {ptr *byte; len int}
	Slice  // {array *Elem; len, cap int}
	Pointer
	UnsafePointer
	Struct
	Array
	Interface // {tab or type; data}: two words
	Map       // one pointer word
	Chan      // one pointer word
	FuncKind  // one pointer word
)

var kindNames = [...]string{"invalid", "bool", "int", "uint", "float", "complex",
	"string", "slice", "pointer", "unsafe.Pointer", "struct", "array", "interface",
	"map", "chan", "func"}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Type is a Go type read from DWARF.
type Type struct {
	Name  string // Go spelling: "int64", "main.Money", "[]int", "*main.Money"
	Kind  Kind
	Size  int64
	Align int64
	Elem  *Type // Pointer, Slice, Array, Chan
	Len   int64 // Array
	// Fields are a Struct's fields, and the runtime words of String, Slice
	// and Interface values.
	Fields []Field
}

// Field is one field of a struct.
type Field struct {
	Name   string
	Offset int64
	Type   *Type
}

func (t *Type) String() string {
	if t == nil {
		return "<nil>"
	}
	if t.Name != "" {
		return t.Name
	}
	return t.Kind.String()
}

// Field returns the field called name.
func (t *Type) Field(name string) (Field, bool) {
	for _, f := range t.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// Constructors for the type model, used by tests and by callers that build
// signatures by hand.

// IntType is a signed integer of size bytes; UintType unsigned.
func IntType(size int64) *Type {
	return &Type{Name: intName("int", size), Kind: Int, Size: size, Align: size}
}
func UintType(size int64) *Type {
	return &Type{Name: intName("uint", size), Kind: Uint, Size: size, Align: size}
}

// FloatType is float32 (4) or float64 (8).
func FloatType(size int64) *Type {
	return &Type{Name: intName("float", size), Kind: Float, Size: size, Align: size}
}

// ComplexType is complex64 (8) or complex128 (16).
func ComplexType(size int64) *Type {
	return &Type{Name: intName("complex", size), Kind: Complex, Size: size, Align: size / 2}
}

// BoolType is bool.
func BoolType() *Type { return &Type{Name: "bool", Kind: Bool, Size: 1, Align: 1} }

// StringType is string.
func StringType() *Type {
	return &Type{Name: "string", Kind: String, Size: 16, Align: 8, Fields: []Field{
		{"str", 0, &Type{Name: "*uint8", Kind: Pointer, Size: 8, Align: 8, Elem: UintType(1)}},
		{"len", 8, IntType(8)}}}
}

// SliceType is []elem.
func SliceType(elem *Type) *Type {
	return &Type{Name: "[]" + elem.String(), Kind: Slice, Size: 24, Align: 8, Elem: elem, Fields: []Field{
		{"array", 0, PointerTo(elem)}, {"len", 8, IntType(8)}, {"cap", 16, IntType(8)}}}
}

// PointerTo is *elem.
func PointerTo(elem *Type) *Type {
	return &Type{Name: "*" + elem.String(), Kind: Pointer, Size: 8, Align: 8, Elem: elem}
}

// InterfaceType is an interface (two words).
func InterfaceType(name string) *Type {
	w := &Type{Name: "uintptr", Kind: Uint, Size: 8, Align: 8}
	return &Type{Name: name, Kind: Interface, Size: 16, Align: 8,
		Fields: []Field{{"tab", 0, w}, {"data", 8, w}}}
}

// WordType is a one-word kind: Map, Chan, Func or UnsafePointer.
func WordType(k Kind, name string) *Type { return &Type{Name: name, Kind: k, Size: 8, Align: 8} }

// ArrayType is [n]elem.
func ArrayType(n int64, elem *Type) *Type {
	return &Type{Name: fmt.Sprintf("[%d]%s", n, elem), Kind: Array, Size: n * elem.Size,
		Align: elem.Align, Len: n, Elem: elem}
}

// StructType lays out fields with Go's alignment rules.
func StructType(name string, fields ...Field) *Type {
	t := &Type{Name: name, Kind: Struct, Align: 1}
	var off int64
	for _, f := range fields {
		off = alignUp(off, f.Type.Align)
		t.Fields = append(t.Fields, Field{f.Name, off, f.Type})
		off += f.Type.Size
		t.Align = max(t.Align, f.Type.Align)
	}
	if n := len(fields); n > 0 && fields[n-1].Type.Size == 0 && off > 0 {
		off++ // a trailing zero-sized field must not point past the struct
	}
	t.Size = alignUp(off, t.Align)
	return t
}

func intName(base string, size int64) string { return fmt.Sprintf("%s%d", base, size*8) }

func alignUp(n, a int64) int64 {
	if a <= 1 {
		return n
	}
	return (n + a - 1) / a * a
}

// Go's DWARF extensions (cmd/internal/dwarf).
const (
	attrGoKind dwarf.Attr = 0x2900
	attrGoElem dwarf.Attr = 0x2902
)

// reflect.Kind values found in attrGoKind.
const (
	goKindChan      = 18
	goKindFunc      = 19
	goKindInterface = 20
	goKindMap       = 21
	goKindSlice     = 23
	goKindString    = 24
)

// typeAt converts the DWARF type at off, caching every type it reads. The
// caller holds b.mu.
func (b *Binary) typeAt(d *dwarf.Data, off dwarf.Offset) (*Type, error) {
	if t, ok := b.types[off]; ok {
		return t, nil
	}
	r := d.Reader()
	r.Seek(off)
	e, err := r.Next()
	if err != nil {
		return nil, err
	}
	if e == nil {
		return nil, fmt.Errorf("no DWARF type at offset %#x", off)
	}
	t := &Type{}
	t.Name, _ = e.Val(dwarf.AttrName).(string)
	size, _ := e.Val(dwarf.AttrByteSize).(int64)
	goKind, _ := e.Val(attrGoKind).(int64)
	t.Size = size
	// Cache before reading children so recursive types terminate.
	b.types[off] = t
	ref := func(a dwarf.Attr) (*Type, error) {
		o, ok := e.Val(a).(dwarf.Offset)
		if !ok {
			return nil, nil
		}
		return b.typeAt(d, o)
	}
	switch e.Tag {
	case dwarf.TagBaseType:
		enc, _ := e.Val(dwarf.AttrEncoding).(int64)
		t.Align = size
		switch enc {
		case 0x02: // DW_ATE_boolean
			t.Kind = Bool
		case 0x05, 0x06: // signed, signed_char
			t.Kind = Int
		case 0x07, 0x08: // unsigned, unsigned_char
			t.Kind = Uint
		case 0x04: // float
			t.Kind = Float
		case 0x03: // complex_float
			t.Kind, t.Align = Complex, size/2
		default:
			return nil, fmt.Errorf("DWARF base type %s: unknown encoding %#x", t.Name, enc)
		}
	case dwarf.TagPointerType:
		t.Size, t.Align = 8, 8
		elem, err := ref(dwarf.AttrType)
		if err != nil {
			return nil, err
		}
		if elem == nil {
			t.Kind = UnsafePointer
		} else {
			t.Kind, t.Elem = Pointer, elem
		}
	case dwarf.TagSubroutineType:
		t.Kind, t.Size, t.Align = FuncKind, 8, 8
	case dwarf.TagArrayType:
		elem, err := ref(dwarf.AttrType)
		if err != nil || elem == nil {
			return nil, fmt.Errorf("DWARF array %s: no element type (%v)", t.Name, err)
		}
		t.Kind, t.Elem, t.Align = Array, elem, elem.Align
		for {
			c, err := r.Next()
			if err != nil || c == nil || c.Tag == 0 {
				break
			}
			if c.Tag == dwarf.TagSubrangeType {
				if n, ok := c.Val(dwarf.AttrCount).(int64); ok {
					t.Len = n
				} else if ub, ok := c.Val(dwarf.AttrUpperBound).(int64); ok {
					t.Len = ub + 1
				}
			}
		}
	case dwarf.TagStructType:
		t.Kind, t.Align = Struct, 1
		switch goKind {
		case goKindString:
			t.Kind = String
		case goKindSlice:
			t.Kind = Slice
		}
		if e.Children {
			if err := b.readFields(d, r, t); err != nil {
				return nil, err
			}
		}
		if t.Kind == Slice {
			if t.Elem, err = ref(attrGoElem); err != nil {
				return nil, err
			}
			if t.Elem == nil && len(t.Fields) > 0 && t.Fields[0].Type.Kind == Pointer {
				t.Elem = t.Fields[0].Type.Elem
			}
		}
	case dwarf.TagTypedef:
		u, err := ref(dwarf.AttrType)
		if err != nil {
			return nil, err
		}
		if u == nil {
			return nil, fmt.Errorf("DWARF typedef %s: no underlying type", t.Name)
		}
		switch goKind {
		case goKindMap:
			t.Kind, t.Size, t.Align = Map, 8, 8
		case goKindChan:
			t.Kind, t.Size, t.Align = Chan, 8, 8
			t.Elem, _ = ref(attrGoElem)
		case goKindFunc:
			t.Kind, t.Size, t.Align = FuncKind, 8, 8
		default:
			// Go emits `typedef main.T` to `struct main.T` and refers to
			// the typedef; other types may already point at t (recursive
			// types), so fill t in rather than replacing it.
			name := t.Name
			*t = *u
			t.Name = name
			if goKind == goKindInterface {
				t.Kind = Interface
			}
		}
	default:
		return nil, fmt.Errorf("DWARF type %s: unsupported tag %v", t.Name, e.Tag)
	}
	if t.Align == 0 {
		t.Align = 1
	}
	if strings.HasPrefix(t.Name, "runtime.") && (t.Name == "runtime.iface" || t.Name == "runtime.eface") {
		t.Kind = Interface
	}
	return t, nil
}

// readFields reads the members that follow a struct entry.
func (b *Binary) readFields(d *dwarf.Data, r *dwarf.Reader, t *Type) error {
	type member struct {
		name string
		off  int64
		typ  dwarf.Offset
	}
	var ms []member
	for {
		c, err := r.Next()
		if err != nil {
			return err
		}
		if c == nil || c.Tag == 0 {
			break
		}
		if c.Tag != dwarf.TagMember {
			if c.Children {
				r.SkipChildren()
			}
			continue
		}
		m := member{}
		m.name, _ = c.Val(dwarf.AttrName).(string)
		m.off, _ = c.Val(dwarf.AttrDataMemberLoc).(int64)
		m.typ, _ = c.Val(dwarf.AttrType).(dwarf.Offset)
		ms = append(ms, m)
	}
	// Members are read first and resolved after, since resolving one moves
	// the shared reader.
	for _, m := range ms {
		ft, err := b.typeAt(d, m.typ)
		if err != nil {
			return fmt.Errorf("field %s.%s: %w", t.Name, m.name, err)
		}
		t.Fields = append(t.Fields, Field{m.name, m.off, ft})
		t.Align = max(t.Align, ft.Align)
	}
	return nil
}
