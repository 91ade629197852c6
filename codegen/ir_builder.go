package codegen

import (
	"fmt"
	"math"

	"github.com/cilium/ebpf/asm"
)

// MaxStack is the size of a BPF program's stack frame in bytes.
const MaxStack = 512

// A Builder records the IR of one BPF program. Its methods never fail: the
// first misuse (a bad shift, a duplicate label, a frame over 512 bytes...)
// is remembered and returned by Compile.
//
//	b := NewBuilder()
//	t := b.Call(asm.FnKtimeGetNs)
//	b.Jump(asm.JEq, t, Imm(0), "zero")
//	b.Exit(R(t))
//	b.Label("zero")
//	b.Exit(Imm(1))
//	insns, err := b.Compile()
type Builder struct {
	insts  []inst
	nvreg  int
	ctx    VReg
	frame  int // bytes of fixed stack slots
	source string
	labels map[string]bool
	nlabel int
	err    error
}

// NewBuilder starts a program. Its first instruction takes the context
// pointer (r1 at entry) into the virtual register returned by Ctx.
func NewBuilder() *Builder {
	b := &Builder{labels: map[string]bool{}}
	b.ctx = b.NewVReg()
	b.add(inst{op: irEntry, dst: b.ctx, base: noVReg, lhs: noVReg})
	return b
}

// Ctx returns the virtual register holding the program's context pointer.
// It stays valid for the whole program: the allocator keeps it in r6 or
// another callee-saved register, or a spill slot, up to its last use.
func (b *Builder) Ctx() VReg { return b.ctx }

// NewVReg returns a fresh virtual register.
func (b *Builder) NewVReg() VReg {
	v := VReg(b.nvreg)
	b.nvreg++
	return v
}

// NewLabel returns a label name, built from prefix, that no other call
// returns; define it with Label.
func (b *Builder) NewLabel(prefix string) string {
	b.nlabel++
	return fmt.Sprintf("%s_%d", prefix, b.nlabel)
}

// SetSource sets the annotation (e.g. the script line) carried by the
// instructions added from now on. Emission puts it, as an asm.Comment, on
// the first BPF instruction of each run of code with the same annotation.
func (b *Builder) SetSource(s string) { b.source = s }

// Err returns the first error recorded so far.
func (b *Builder) Err() error { return b.err }

func (b *Builder) fail(format string, args ...any) {
	if b.err == nil {
		b.err = fmt.Errorf("codegen: "+format, args...)
	}
}

func (b *Builder) add(in inst) {
	in.source = b.source
	b.insts = append(b.insts, in)
}

func (b *Builder) checkReg(v VReg) bool {
	if v < 0 || int(v) >= b.nvreg {
		b.fail("invalid virtual register %v", v)
		return false
	}
	return true
}

// AllocStack reserves size bytes of the stack frame aligned to align (a
// power of two, at most 8) and returns its offset from r10 (negative).
// Spill slots are placed below all fixed slots; the frame may not exceed
// MaxStack bytes.
func (b *Builder) AllocStack(size, align int) int {
	if align <= 0 || align > 8 || align&(align-1) != 0 || size <= 0 {
		b.fail("bad stack slot: size %d, align %d", size, align)
		return -8
	}
	end := (b.frame + size + align - 1) &^ (align - 1)
	if end > MaxStack {
		b.fail("stack frame needs %d bytes, more than the %d-byte BPF limit", end, MaxStack)
		return -8
	}
	b.frame = end
	return -end
}

// Mov sets dst = src.
func (b *Builder) Mov(dst, src VReg) {
	if b.checkReg(dst) && b.checkReg(src) {
		b.add(inst{op: irMov, dst: dst, src: R(src), base: noVReg, lhs: noVReg})
	}
}

// MovImm sets dst = v (any 64-bit value).
func (b *Builder) MovImm(dst VReg, v int64) {
	if b.checkReg(dst) {
		b.add(inst{op: irMov, dst: dst, src: Imm(v), base: noVReg, lhs: noVReg})
	}
}

// Const returns a fresh virtual register holding v.
func (b *Builder) Const(v int64) VReg {
	r := b.NewVReg()
	b.MovImm(r, v)
	return r
}

// StackAddr sets dst = r10 + off.
func (b *Builder) StackAddr(dst VReg, off int) {
	if b.checkReg(dst) && b.checkStackOff(off, 1) {
		b.add(inst{op: irMov, dst: dst, src: StackAddr(off), base: noVReg, lhs: noVReg})
	}
}

func (b *Builder) checkStackOff(off, size int) bool {
	if off >= 0 || off < -MaxStack || off+size > 0 {
		b.fail("stack offset %d (size %d) is outside the frame", off, size)
		return false
	}
	return true
}

// operand turns src into a register or 32-bit immediate operand, loading a
// wider immediate into a fresh register first. Stack addresses are loaded
// into a register too unless allowStack.
func (b *Builder) operand(src Operand, allowStack bool) (Operand, bool) {
	switch src.kind {
	case operandReg:
		return src, b.checkReg(src.reg)
	case operandImm:
		if src.imm < math.MinInt32 || src.imm > math.MaxInt32 {
			return R(b.Const(src.imm)), true
		}
		return src, true
	case operandStack:
		if allowStack {
			return src, b.checkStackOff(int(src.imm), 1)
		}
		r := b.NewVReg()
		b.StackAddr(r, int(src.imm))
		return R(r), true
	}
	b.fail("missing operand")
	return src, false
}

// ALU sets dst = dst op src with a 64-bit operation: asm.Add, Sub, Mul,
// Div, Mod, Or, And, Xor, LSh, RSh, ArSh (Div and Mod are unsigned, as in
// BPF). Use Neg for negation.
func (b *Builder) ALU(op asm.ALUOp, dst VReg, src Operand) { b.alu(op, dst, src, false) }

// ALU32 is ALU on the low 32 bits; the result is zero-extended to 64 bits.
func (b *Builder) ALU32(op asm.ALUOp, dst VReg, src Operand) { b.alu(op, dst, src, true) }

// Neg sets dst = -dst.
func (b *Builder) Neg(dst VReg) {
	if b.checkReg(dst) {
		b.add(inst{op: irALU, alu: asm.Neg, dst: dst, src: Imm(0), base: noVReg, lhs: noVReg})
	}
}

func (b *Builder) alu(op asm.ALUOp, dst VReg, src Operand, is32 bool) {
	switch op {
	case asm.Add, asm.Sub, asm.Mul, asm.Div, asm.Mod, asm.Or, asm.And, asm.Xor, asm.LSh, asm.RSh, asm.ArSh:
	case asm.Neg:
		b.Neg(dst)
		return
	default:
		b.fail("unsupported ALU operation %v", op)
		return
	}
	if !b.checkReg(dst) {
		return
	}
	if is32 && src.kind == operandImm && (src.imm < math.MinInt32 || src.imm > math.MaxUint32) {
		b.fail("32-bit %v with immediate %d", op, src.imm)
		return
	}
	if is32 && src.kind == operandImm {
		src.imm = int64(int32(uint32(src.imm)))
	}
	src, ok := b.operand(src, false)
	if !ok {
		return
	}
	if src.kind == operandImm {
		bits := int64(64)
		if is32 {
			bits = 32
		}
		switch {
		case (op == asm.LSh || op == asm.RSh || op == asm.ArSh) && (src.imm < 0 || src.imm >= bits):
			b.fail("shift by %d out of range", src.imm)
			return
		case (op == asm.Div || op == asm.Mod) && src.imm == 0:
			b.fail("division by constant zero")
			return
		}
	}
	b.add(inst{op: irALU, alu: op, alu32: is32, dst: dst, src: src, base: noVReg, lhs: noVReg})
}

// SignExtend sign-extends the low bits (8, 16 or 32) of dst to 64 bits.
func (b *Builder) SignExtend(dst VReg, bits int) {
	if bits != 8 && bits != 16 && bits != 32 {
		b.fail("sign extension from %d bits", bits)
		return
	}
	b.ALU(asm.LSh, dst, Imm(int64(64-bits)))
	b.ALU(asm.ArSh, dst, Imm(int64(64-bits)))
}

// ZeroExtend clears all but the low bits (8, 16 or 32) of dst.
func (b *Builder) ZeroExtend(dst VReg, bits int) {
	switch bits {
	case 8, 16:
		b.ALU(asm.And, dst, Imm(1<<bits-1))
	case 32:
		b.ALU(asm.LSh, dst, Imm(32))
		b.ALU(asm.RSh, dst, Imm(32))
	default:
		b.fail("zero extension from %d bits", bits)
	}
}

func (b *Builder) checkMem(base VReg, off int, size asm.Size) bool {
	n := size.Sizeof()
	switch {
	case n < 0:
		b.fail("bad memory access size %v", size)
		return false
	case base == FP:
		return b.checkStackOff(off, n)
	case off < math.MinInt16 || off > math.MaxInt16:
		b.fail("memory offset %d does not fit in 16 bits", off)
		return false
	}
	return b.checkReg(base)
}

// Load sets dst = *(size *)(base + off), zero-extended; base may be FP.
func (b *Builder) Load(dst, base VReg, off int, size asm.Size) {
	if b.checkReg(dst) && b.checkMem(base, off, size) {
		b.add(inst{op: irLoad, dst: dst, base: base, off: off, size: size, lhs: noVReg})
	}
}

// Store sets *(size *)(base + off) = src (a register or an immediate that
// fits in 32 bits, sign-extended); base may be FP.
func (b *Builder) Store(base VReg, off int, src Operand, size asm.Size) {
	if !b.checkMem(base, off, size) {
		return
	}
	src, ok := b.operand(src, false)
	if ok {
		b.add(inst{op: irStore, dst: noVReg, base: base, off: off, size: size, src: src, lhs: noVReg})
	}
}

// LoadMapPtr sets dst to the address of the named map (bound when the
// collection is loaded).
func (b *Builder) LoadMapPtr(dst VReg, name string) {
	if b.checkReg(dst) {
		b.add(inst{op: irMapPtr, dst: dst, mapName: name, base: noVReg, lhs: noVReg})
	}
}

// Call calls a helper with up to five arguments (registers, immediates or
// stack addresses, passed in r1-r5) and returns a fresh register holding
// its result (r0).
func (b *Builder) Call(fn asm.BuiltinFunc, args ...Operand) VReg {
	dst := b.NewVReg()
	if len(args) > 5 {
		b.fail("%v called with %d arguments, at most 5", fn, len(args))
		return dst
	}
	ops := make([]Operand, len(args))
	for i, a := range args {
		a, ok := b.operand(a, true)
		if !ok {
			return dst
		}
		ops[i] = a
	}
	b.add(inst{op: irCall, fn: fn, args: ops, dst: dst, base: noVReg, lhs: noVReg})
	return dst
}

// Jump jumps to label if lhs op src holds (asm.JEq, JNE, JGT, JGE, JSGT,
// JSGE, JLT, JLE, JSLT, JSLE, JSet; 64-bit comparisons).
func (b *Builder) Jump(op asm.JumpOp, lhs VReg, src Operand, label string) {
	switch op {
	case asm.JEq, asm.JNE, asm.JGT, asm.JGE, asm.JSGT, asm.JSGE, asm.JLT, asm.JLE, asm.JSLT, asm.JSLE, asm.JSet:
	case asm.Ja:
		b.Ja(label)
		return
	default:
		b.fail("unsupported jump %v", op)
		return
	}
	if !b.checkReg(lhs) {
		return
	}
	if src, ok := b.operand(src, false); ok {
		b.add(inst{op: irJump, jop: op, lhs: lhs, src: src, label: label, dst: noVReg, base: noVReg})
	}
}

// Ja jumps to label unconditionally.
func (b *Builder) Ja(label string) {
	b.add(inst{op: irJump, jop: asm.Ja, label: label, dst: noVReg, base: noVReg, lhs: noVReg})
}

// Label defines label at the current position.
func (b *Builder) Label(name string) {
	if name == "" || b.labels[name] {
		b.fail("label %q defined twice or empty", name)
		return
	}
	b.labels[name] = true
	b.add(inst{op: irLabel, label: name, dst: noVReg, base: noVReg, lhs: noVReg})
}

// Exit returns ret from the program.
func (b *Builder) Exit(ret Operand) {
	if src, ok := b.operand(ret, false); ok {
		b.add(inst{op: irExit, src: src, dst: noVReg, base: noVReg, lhs: noVReg})
	}
}

// String lists the IR recorded so far.
func (b *Builder) String() string { return formatIR(b.insts) }
