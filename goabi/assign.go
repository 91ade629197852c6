package goabi

import "fmt"

// Piece is one part of a value: a register, or a slot on the stack.
type Piece struct {
	// Reg is the register holding the piece ("RAX", "X0" on amd64; "R0",
	// "F0" on arm64), or "" when the piece is on the stack.
	Reg string
	// Stack is, when Reg is "", the piece's address relative to the stack
	// pointer at function entry (which is also the stack pointer at each
	// RET): on amd64 the caller's outgoing arguments start at SP+8, above
	// the return address.
	Stack int64
	// Offset and Size are the bytes of the value the piece holds.
	Offset int64
	Size   int64
}

// Location is where a parameter or result lives: its pieces in value
// order. A zero-sized value has no pieces. A value is either entirely in
// registers or entirely on the stack.
type Location struct {
	Pieces []Piece
}

// OnStack reports whether the value was passed on the stack.
func (l Location) OnStack() bool { return len(l.Pieces) > 0 && l.Pieces[0].Reg == "" }

// Find returns the piece holding bytes [off, off+size) of the value, with
// its Offset/Size (and Stack) narrowed to those bytes, or false when no
// single piece holds them all (e.g. a whole struct split over registers).
func (l Location) Find(off, size int64) (Piece, bool) {
	for _, p := range l.Pieces {
		if off >= p.Offset && off+size <= p.Offset+p.Size {
			q := p
			if q.Reg == "" {
				q.Stack += off - p.Offset
			}
			q.Offset, q.Size = off, size
			return q, true
		}
	}
	return Piece{}, false
}

func (l Location) String() string {
	s := ""
	for i, p := range l.Pieces {
		if i > 0 {
			s += " "
		}
		if p.Reg != "" {
			s += p.Reg
		} else {
			s += fmt.Sprintf("SP+%d", p.Stack)
		}
		s += fmt.Sprintf("[%d:%d]", p.Offset, p.Offset+p.Size)
	}
	return s
}

// abi is one architecture's ABIInternal register set.
type abi struct {
	ints, floats []string
	ptrSize      int64
	// argBase is the offset from SP at entry of the first stack argument.
	argBase int64
}

func regNames(prefix string, n int) []string {
	r := make([]string, n)
	for i := range r {
		r[i] = fmt.Sprintf("%s%d", prefix, i)
	}
	return r
}

var abis = map[string]*abi{
	"amd64": {
		ints:    []string{"RAX", "RBX", "RCX", "RDI", "RSI", "R8", "R9", "R10", "R11"},
		floats:  regNames("X", 15),
		ptrSize: 8,
		argBase: 8, // return address
	},
	"arm64": {
		ints:    regNames("R", 16),
		floats:  regNames("F", 16),
		ptrSize: 8,
		argBase: 8, // the callee's saved-LR slot at 0(RSP)
	},
}

// Assign returns where Go's register ABI (ABIInternal) puts each parameter
// (receiver first) at the entry of a function on arch ("amd64", "arm64").
// It returns nil for an architecture without a register ABI.
func Assign(arch string, params []*Type) []Location {
	in, _, ok := AssignFunc(arch, params, nil)
	if !ok {
		return nil
	}
	return in
}

// AssignFunc assigns parameters (at entry) and results (at each RET). Results
// are assigned independently, from the first registers again; the results
// passed on the stack follow the parameters' stack area. ok is false for an
// architecture without a register ABI.
func AssignFunc(arch string, params, results []*Type) (in, out []Location, ok bool) {
	a := abis[arch]
	if a == nil {
		return nil, nil, false
	}
	s := &assigner{abi: a}
	in = s.assignAll(params)
	s.stack = alignUp(s.stack, a.ptrSize)
	s.ni, s.nf = 0, 0
	out = s.assignAll(results)
	return in, out, true
}

// AssignStack lays out parameters then results the way ABI0 (Go's stack
// ABI, and every Go function before the register ABI) does: all on the
// stack, in order, each aligned, results starting pointer-aligned.
func AssignStack(arch string, params, results []*Type) (in, out []Location, ok bool) {
	a := abis[arch]
	if a == nil {
		return nil, nil, false
	}
	s := &assigner{abi: &abi{ptrSize: a.ptrSize, argBase: a.argBase}}
	in = s.assignAll(params)
	s.stack = alignUp(s.stack, a.ptrSize)
	out = s.assignAll(results)
	return in, out, true
}

type assigner struct {
	abi    *abi
	ni, nf int   // next integer and floating-point register
	stack  int64 // bytes of the stack argument area used so far
	pieces []Piece
}

func (s *assigner) assignAll(ts []*Type) []Location {
	locs := make([]Location, len(ts))
	for i, t := range ts {
		locs[i] = s.assign(t)
	}
	return locs
}

// assign places one value: in registers if it fits entirely, else on the
// stack (releasing any register it took).
func (s *assigner) assign(t *Type) Location {
	ni, nf := s.ni, s.nf
	s.pieces = nil
	if s.regAssign(t, 0) {
		return Location{Pieces: s.pieces}
	}
	s.ni, s.nf = ni, nf
	s.stack = alignUp(s.stack, t.Align)
	var l Location
	if t.Size > 0 {
		l.Pieces = []Piece{{Stack: s.abi.argBase + s.stack, Size: t.Size}}
	}
	s.stack += t.Size
	return l
}

// regAssign register-assigns the value of type t at byte off of the
// parameter, recursively; false when it does not fit.
func (s *assigner) regAssign(t *Type, off int64) bool {
	switch t.Kind {
	case Bool, Int, Uint, Pointer, UnsafePointer, Map, Chan, FuncKind:
		return s.intReg(off, t.Size)
	case Float:
		return s.floatReg(off, t.Size)
	case Complex:
		return s.floatReg(off, t.Size/2) && s.floatReg(off+t.Size/2, t.Size/2)
	case String, Interface:
		return s.intReg(off, s.abi.ptrSize) && s.intReg(off+s.abi.ptrSize, s.abi.ptrSize)
	case Slice:
		p := s.abi.ptrSize
		return s.intReg(off, p) && s.intReg(off+p, p) && s.intReg(off+2*p, p)
	case Struct:
		for _, f := range t.Fields {
			if !s.regAssign(f.Type, off+f.Offset) {
				return false
			}
		}
		return true
	case Array:
		switch t.Len {
		case 0:
			return true
		case 1:
			return s.regAssign(t.Elem, off)
		}
		return false
	}
	return false
}

func (s *assigner) intReg(off, size int64) bool {
	if s.ni >= len(s.abi.ints) {
		return false
	}
	s.pieces = append(s.pieces, Piece{Reg: s.abi.ints[s.ni], Offset: off, Size: size})
	s.ni++
	return true
}

func (s *assigner) floatReg(off, size int64) bool {
	if s.nf >= len(s.abi.floats) {
		return false
	}
	s.pieces = append(s.pieces, Piece{Reg: s.abi.floats[s.nf], Offset: off, Size: size})
	s.nf++
	return true
}
