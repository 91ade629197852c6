package types

import (
	"fmt"
	"strings"
)

// Kind is the family of a Type. Its String is the family name bpftrace 0.17
// prints in messages such as "(string provided)" or "Invalid condition in
// if(): string".
type Kind int

// The kinds of values. Void is the result of statements-like calls (printf,
// exit, delete); bpftrace calls it "none", like an invalid type, and so do we
// when printing.
const (
	None      Kind = iota // no type: an error was reported, or a void call
	Int                   // integer of Size bytes, Signed or not
	String                // NUL-terminated string buffer of Size bytes
	Pointer               // pointer to Elem
	Array                 // Len elements of Elem
	Tuple                 // anonymous (a, b): Fields without names
	Record                // named struct/union (Name), Fields when known
	Ustack                // user stack: Stack says mode and limit
	Kstack                // kernel stack
	StackMode             // the `bpftrace`/`perf` argument of ustack/kstack
	Usym                  // user symbol (func in uprobes)
	Ksym                  // kernel symbol (func in kprobes)
	Probe                 // the probe builtin: the name of the firing probe
	Count                 // count() aggregation, only as a map value
	Sum                   // sum(x)
	Min                   // min(x)
	Max                   // max(x)
	Avg                   // avg(x)
	Stats                 // stats(x)
	Hist                  // hist(x)
	Lhist                 // lhist(x, min, max, step)
	Float                 // IEEE float of Size 4 or 8 (Go float32/float64 read from memory)
)

var kindNames = [...]string{
	None: "none", Int: "integer", String: "string", Pointer: "pointer",
	Array: "array", Tuple: "tuple", Record: "record", Ustack: "ustack",
	Kstack: "kstack", StackMode: "stack mode", Usym: "usym", Ksym: "ksym",
	Probe: "probe", Count: "count", Sum: "sum", Min: "min", Max: "max",
	Avg: "avg", Stats: "stats", Hist: "hist", Lhist: "lhist", Float: "float",
}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// IsAggregation reports whether values of kind k live only in maps
// (count, sum, min, max, avg, stats, hist, lhist).
func (k Kind) IsAggregation() bool { return k >= Count && k <= Lhist }

// Stack describes a ustack/kstack value.
type Stack struct {
	Mode  string // "bpftrace" or "perf"
	Limit int    // number of frames
}

// DefaultStackLimit is the number of frames ustack()/kstack() keep when the
// script gives no limit (bpftrace's default); MaxStackLimit is the largest
// limit bpftrace accepts.
const (
	DefaultStackLimit = 127
	MaxStackLimit     = 1024
)

// Field is one element of a tuple or one member of a record.
type Field struct {
	Name   string // "" in tuples
	Type   *Type
	Offset int // byte offset; tuples are laid out with natural alignment
}

// Type is the type of an expression, variable, map key or map value.
//
// Types are values: the checker never mutates a Type after recording it, so
// they may be shared. Compare with Equal (exact) or SameKind.
type Type struct {
	Kind   Kind
	Size   int  // size in bytes (for String the buffer size, NUL included)
	Signed bool // Int, and the aggregations of a signed argument (sum, min, max)
	Elem   *Type
	Len    int     // Array: number of elements
	Fields []Field // Tuple, Record
	Name   string  // Record: "struct task_struct"
	Stack  Stack   // Ustack, Kstack
}

// Constructors for the common types.
var (
	TypeNone   = &Type{Kind: None}
	TypeInt64  = IntType(8, true)
	TypeUint64 = IntType(8, false)
)

// IntType returns the integer type of size bytes (1, 2, 4 or 8).
func IntType(size int, signed bool) *Type { return &Type{Kind: Int, Size: size, Signed: signed} }

// FloatType returns float32 (size 4) or float64 (size 8).
func FloatType(size int) *Type { return &Type{Kind: Float, Size: size} }

// StringType returns string[size].
func StringType(size int) *Type { return &Type{Kind: String, Size: size} }

// PointerTo returns a pointer to elem.
func PointerTo(elem *Type) *Type { return &Type{Kind: Pointer, Size: 8, Elem: elem} }

// ArrayOf returns elem[n].
func ArrayOf(elem *Type, n int) *Type {
	return &Type{Kind: Array, Size: n * elem.Size, Elem: elem, Len: n}
}

// RecordType returns the named struct or union, with unknown members.
func RecordType(name string) *Type { return &Type{Kind: Record, Name: name} }

// StackType returns a ustack (kernel false) or kstack type.
func StackType(kernel bool, s Stack) *Type {
	k := Ustack
	if kernel {
		k = Kstack
	}
	return &Type{Kind: k, Size: 8, Stack: s}
}

// TupleOf lays out elems as a tuple: each element at its natural alignment
// (at most 8), the whole padded to the largest alignment, as bpftrace does.
func TupleOf(elems ...*Type) *Type {
	t := &Type{Kind: Tuple}
	off, maxAlign := 0, 1
	for _, e := range elems {
		a := e.align()
		if a > maxAlign {
			maxAlign = a
		}
		off = (off + a - 1) / a * a
		t.Fields = append(t.Fields, Field{Type: e, Offset: off})
		off += e.Size
	}
	t.Size = (off + maxAlign - 1) / maxAlign * maxAlign
	return t
}

func (t *Type) align() int {
	switch t.Kind {
	case Int, Pointer, Float:
		if t.Size > 0 && t.Size <= 8 {
			return t.Size
		}
	case Array:
		return t.Elem.align()
	case Tuple:
		a := 1
		for _, f := range t.Fields {
			if fa := f.Type.align(); fa > a {
				a = fa
			}
		}
		return a
	case String, Usym, Ksym, Probe:
		return 1
	}
	return 8
}

// IsInt reports whether t is an integer.
func (t *Type) IsInt() bool { return t != nil && t.Kind == Int }

// IsNone reports whether t is missing or none.
func (t *Type) IsNone() bool { return t == nil || t.Kind == None }

// Equal reports whether t and u are the same type, sizes included.
func (t *Type) Equal(u *Type) bool {
	if t == nil || u == nil {
		return t == u
	}
	if t.Kind != u.Kind || t.Size != u.Size || t.Signed != u.Signed || t.Len != u.Len ||
		t.Name != u.Name || t.Stack != u.Stack || len(t.Fields) != len(u.Fields) {
		return false
	}
	if (t.Elem == nil) != (u.Elem == nil) || (t.Elem != nil && !t.Elem.Equal(u.Elem)) {
		return false
	}
	for i := range t.Fields {
		if t.Fields[i].Name != u.Fields[i].Name || !t.Fields[i].Type.Equal(u.Fields[i].Type) {
			return false
		}
	}
	return true
}

// String spells t the way bpftrace 0.17 prints types in messages: "int64",
// "unsigned int8", "string[16]", "(int64,string[4])", "unsigned int8[8]",
// "int32 *", "struct task_struct", and the kind name for the others
// ("count", "ustack", "none"). Floats, which 0.17 lacks, are "float32" and
// "float64".
func (t *Type) String() string {
	if t == nil {
		return "none"
	}
	switch t.Kind {
	case Int:
		s := fmt.Sprintf("int%d", 8*t.Size)
		if !t.Signed {
			s = "unsigned " + s
		}
		return s
	case String:
		return fmt.Sprintf("string[%d]", t.Size)
	case Float:
		return fmt.Sprintf("float%d", 8*t.Size)
	case Pointer:
		return t.Elem.String() + " *"
	case Array:
		return fmt.Sprintf("%s[%d]", t.Elem, t.Len)
	case Record:
		return t.Name
	case Tuple:
		parts := make([]string, len(t.Fields))
		for i, f := range t.Fields {
			parts[i] = f.Type.String()
		}
		return "(" + strings.Join(parts, ",") + ")"
	}
	return t.Kind.String()
}

// fitsInto reports whether a value of type t may be stored where u is
// expected: same kind, strings no longer than u (tuples element-wise).
func (t *Type) fitsInto(u *Type) bool {
	if t.Kind != u.Kind {
		return false
	}
	switch t.Kind {
	case String:
		return t.Size <= u.Size
	case Tuple:
		if len(t.Fields) != len(u.Fields) {
			return false
		}
		for i := range t.Fields {
			if !t.Fields[i].Type.fitsInto(u.Fields[i].Type) {
				return false
			}
		}
		return true
	}
	return t.Equal(u)
}

// widen returns the smallest type holding both t and u when they differ only
// in string sizes (as bpftrace grows a variable or map holding strings), and
// nil when they are not compatible that way.
func widen(t, u *Type) *Type {
	if t.Kind != u.Kind {
		return nil
	}
	switch t.Kind {
	case String:
		return StringType(max(t.Size, u.Size))
	case Tuple:
		if len(t.Fields) != len(u.Fields) {
			return nil
		}
		elems := make([]*Type, len(t.Fields))
		for i := range t.Fields {
			if elems[i] = widen(t.Fields[i].Type, u.Fields[i].Type); elems[i] == nil {
				return nil
			}
		}
		return TupleOf(elems...)
	}
	if t.Equal(u) {
		return t
	}
	return nil
}
