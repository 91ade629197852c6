// Package output renders bpftrace values as text and JSON, byte-identical to
// bpftrace 0.17: printf with C semantics, map printing at exit, histograms,
// stats.
package output

import (
	"math"
	"strconv"
)

// Kind is a bpftrace 0.17 value type (its Type enum). It types printf
// arguments for (*Format).Check and tells Value how to render itself. String
// returns bpftrace's own name for the type, as its error messages spell it.
type Kind uint8

// The kinds, in bpftrace 0.17's order.
const (
	None Kind = iota
	Integer
	Pointer
	Record
	Hist
	Lhist
	Count
	Sum
	Min
	Max
	Avg
	Stats
	Kstack
	Ustack
	String
	Ksym
	Usym
	Probe
	Username
	Inet
	StackMode
	Array
	Buffer
	Tuple
	Timestamp
	MacAddress
	CgroupPath
	Strerror
	// Float is not a bpftrace 0.17 type: a Go float32 or float64 read
	// from memory (see Value).
	Float
)

var kindNames = [...]string{
	None: "none", Integer: "integer", Pointer: "pointer", Record: "record",
	Hist: "hist", Lhist: "lhist", Count: "count", Sum: "sum", Min: "min",
	Max: "max", Avg: "avg", Stats: "stats", Kstack: "kstack", Ustack: "ustack",
	String: "string", Ksym: "ksym", Usym: "usym", Probe: "probe",
	Username: "username", Inet: "inet", StackMode: "stack mode", Array: "array",
	Buffer: "buffer", Tuple: "tuple", Timestamp: "timestamp",
	MacAddress: "mac_address", CgroupPath: "cgroup_path", Strerror: "strerror",
	Float: "float",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	if s, ok := goKindName(k); ok {
		return s
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Frame is one resolved stack frame. A frame without a Symbol prints as
// its bare address (0x49e140), as bpftrace does for unresolvable frames.
//
// File and Line are set only by the opt-in `go` stack mode (ustack(go)):
// the frame then prints as `symbol+offset (file:line)`. An Inlined frame
// is a call that the compiler inlined at the address of the next frame; it
// prints as `symbol (file:line) [inlined]`.
type Frame struct {
	Addr    uint64
	Symbol  string
	Offset  uint64
	File    string
	Line    int
	Inlined bool
}

// Value is one decoded bpftrace value. Which fields matter depends on Kind:
//
//   - Integer, Pointer (and Count, Sum, Min, Max used as values): Bits holds
//     the two's-complement bits, Size the width in bytes (1, 2, 4 or 8; 0
//     means 8) and Signed the signedness.
//   - String: Bytes holds the raw bytes; text ends at the first NUL, as C
//     strings do, so a fixed-size BPF buffer can be passed without copying.
//   - Buffer: Bytes holds the buffer contents; it prints hex-escaped
//     (printable ASCII kept, other bytes as \xNN), like bpftrace's buf().
//   - Ksym, Usym, Probe, Username, Inet, Timestamp, MacAddress, CgroupPath,
//     Strerror: Bytes holds the text already resolved by the runtime. In
//     JSON bpftrace 0.17 quotes the first five and not the last four.
//   - Kstack, Ustack: Frames, innermost first.
//   - Tuple, Array: Elems. Record: Elems and their field Names.
//   - Float: Bits holds the raw IEEE 754 bits and Size the width in
//     bytes: 4 (a float32 in the low 32 bits) or 8 (a float64; 0 means 8).
//
// The zero Value is a None and prints as 0.
type Value struct {
	Kind   Kind
	Size   uint8
	Signed bool
	Bits   uint64
	Bytes  []byte
	Frames []Frame
	Elems  []Value
	Names  []string
}

// Int returns a signed 64-bit integer value.
func Int(v int64) Value { return Value{Kind: Integer, Size: 8, Signed: true, Bits: uint64(v)} }

// Uint returns an unsigned 64-bit integer value.
func Uint(v uint64) Value { return Value{Kind: Integer, Size: 8, Bits: v} }

// IntN returns an integer of size bytes (1, 2, 4 or 8) holding the low bits of v.
func IntN(v int64, size int, signed bool) Value {
	return Value{Kind: Integer, Size: uint8(size), Signed: signed, Bits: uint64(v)}
}

// Float64 returns a float64 value.
func Float64(f float64) Value { return Value{Kind: Float, Size: 8, Bits: math.Float64bits(f)} }

// Float32 returns a float32 value.
func Float32(f float32) Value { return Value{Kind: Float, Size: 4, Bits: uint64(math.Float32bits(f))} }

// Float returns a Float value's number, a float32 widened to float64 as C
// widens a float passed to printf.
func (v *Value) Float() float64 {
	if v.Size == 4 {
		return float64(math.Float32frombits(uint32(v.Bits)))
	}
	return math.Float64frombits(v.Bits)
}

// Str returns a string value.
func Str(s string) Value { return Value{Kind: String, Bytes: []byte(s)} }

// Text returns a value of a resolved kind (Ksym, Usym, Probe, ...).
func Text(k Kind, s string) Value { return Value{Kind: k, Bytes: []byte(s)} }

// Buf returns a buffer value (bpftrace's buf()).
func Buf(b []byte) Value { return Value{Kind: Buffer, Bytes: b} }

// Stack returns a user stack (k = Ustack) or kernel stack (k = Kstack).
func Stack(k Kind, frames ...Frame) Value { return Value{Kind: k, Frames: frames} }

// TupleOf returns a tuple value.
func TupleOf(elems ...Value) Value { return Value{Kind: Tuple, Elems: elems} }

// size returns the integer width in bytes.
func (v *Value) size() int {
	switch v.Size {
	case 1, 2, 4:
		return int(v.Size)
	}
	return 8
}

// Int64 returns the integer sign- or zero-extended from its width.
func (v *Value) Int64() int64 {
	switch v.size() {
	case 1:
		if v.Signed {
			return int64(int8(v.Bits))
		}
		return int64(uint8(v.Bits))
	case 2:
		if v.Signed {
			return int64(int16(v.Bits))
		}
		return int64(uint16(v.Bits))
	case 4:
		if v.Signed {
			return int64(int32(v.Bits))
		}
		return int64(uint32(v.Bits))
	}
	return int64(v.Bits)
}

// cstr returns Bytes up to the first NUL.
func cstr(b []byte) []byte {
	for i, c := range b {
		if c == 0 {
			return b[:i]
		}
	}
	return b
}

// isNumber reports whether the value renders as a number.
func (v *Value) isNumber() bool {
	switch v.Kind {
	case None, Integer, Pointer, Count, Sum, Min, Max:
		return true
	}
	return false
}

// appendStack renders a stack as bpftrace does: a newline, then one line per
// frame indented by indent spaces.
func appendStack(dst []byte, frames []Frame, indent int) []byte {
	dst = append(dst, '\n')
	for _, f := range frames {
		for i := 0; i < indent; i++ {
			dst = append(dst, ' ')
		}
		dst = appendFrame(dst, f)
		dst = append(dst, '\n')
	}
	return dst
}

func appendFrame(dst []byte, f Frame) []byte {
	switch {
	case f.Symbol == "":
		dst = append(dst, "0x"...)
		dst = strconv.AppendUint(dst, f.Addr, 16)
	case f.Inlined:
		dst = append(dst, f.Symbol...)
	default:
		dst = append(dst, f.Symbol...)
		dst = append(dst, '+')
		dst = strconv.AppendUint(dst, f.Offset, 10)
	}
	if f.File != "" {
		dst = append(dst, " ("...)
		dst = append(dst, f.File...)
		dst = append(dst, ':')
		dst = strconv.AppendInt(dst, int64(f.Line), 10)
		dst = append(dst, ')')
	}
	if f.Inlined {
		dst = append(dst, " [inlined]"...)
	}
	return dst
}

// appendHexBuffer renders buffer bytes as bpftrace's hex_format_buffer.
func appendHexBuffer(dst []byte, b []byte, keepASCII, escapeHex bool) []byte {
	const hex = "0123456789abcdef"
	for i, c := range b {
		switch {
		case keepASCII && c >= 32 && c <= 126:
			dst = append(dst, c)
		case escapeHex:
			dst = append(dst, '\\', 'x', hex[c>>4], hex[c&15])
		default:
			dst = append(dst, hex[c>>4], hex[c&15])
			if i != len(b)-1 {
				dst = append(dst, ' ')
			}
		}
	}
	return dst
}
