package codegen

import (
	"github.com/cilium/ebpf/asm"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/types"
)

// Go values at uprobes: `args.NAME...`, `rets.NAME...` and `goid`. The
// checker records in Info.GoValues where each value is (types.GoValue): a
// register or stack slot at function entry (args) or at a RET (rets: the
// stack pointer points at the return address there too, so stack slots
// have the same offsets from it), or user memory at an offset from a
// pointer that is itself such a value. Registers are read from pt_regs,
// the rest with bpf_probe_read_user.

// ptRegsSP and ptRegsR14 are the offsets of sp and r14 in x86-64 pt_regs.
const (
	ptRegsSP  = 152
	ptRegsR14 = 8
)

// goValue returns the Go value e denotes, or nil.
func (l *lowerer) goValue(e ast.Expr) *types.GoValue {
	return l.c.info.GoValues[e]
}

// goInt loads a Go integer, bool or pointer value, extended to 64 bits as
// its type says, or a float's bits, loaded like an unsigned integer of its
// size.
func (l *lowerer) goInt(e ast.Expr, v *types.GoValue) VReg {
	t := l.typeOf(e)
	if !isIntLike(t) {
		l.errorf(e, "a %s value is not supported here yet", t)
		return l.b.Const(0)
	}
	size := int64(8)
	if v.Type != nil {
		size = v.Type.Size
	}
	r := l.goLoad(e, v, size)
	l.truncate(r, t)
	return r
}

// goLoad reads the size bytes (1, 2, 4 or 8) of v into a register; the
// bits above size are unspecified for registers.
func (l *lowerer) goLoad(n ast.Node, v *types.GoValue, size int64) VReg {
	b := l.b
	if v.Base != nil {
		ptr := l.goLoad(n, v.Base, 8)
		if v.Offset != 0 {
			b.ALU(asm.Add, ptr, Imm(v.Offset))
		}
		return l.readUser(n, ptr, size)
	}
	if len(v.Pieces) != 1 {
		l.errorf(n, "this Go value is not in one register or stack slot")
		return b.Const(0)
	}
	p := v.Pieces[0]
	if p.Reg != "" {
		if p.RegOff < 0 {
			l.errorf(n, "register %s is not in pt_regs", p.Reg)
			return b.Const(0)
		}
		return l.ctxReg(n, p.RegOff)
	}
	sp := l.ctxReg(n, ptRegsSP)
	if p.Stack != 0 {
		b.ALU(asm.Add, sp, Imm(p.Stack))
	}
	return l.readUser(n, sp, size)
}

// readUser reads size bytes of user memory at ptr into a register
// (zero-extended; 0 when the read fails).
func (l *lowerer) readUser(n ast.Node, ptr VReg, size int64) VReg {
	if size <= 0 || size > 8 {
		l.errorf(n, "cannot read a %d-byte value into a register", size)
		size = 8
	}
	m := l.tmp(n, 8)
	l.b.Call(asm.FnProbeReadUser, l.addr(m), Imm(size), R(ptr))
	r := l.b.NewVReg()
	l.b.Load(r, m.base, m.off, sizeOf(int(size)))
	return r
}

// goString writes a Go string's bytes at dst as a NUL-terminated buffer of
// size bytes: at most its length (and at most limit when limit > 0).
func (l *lowerer) goString(n ast.Node, v *types.GoValue, dst loc, size int, limit int64) {
	if limit > 0 && limit < int64(size) {
		size = int(limit)
	}
	l.zero(dst, size)
	ptr := l.goLoad(n, v.Part(0, 8, nil), 8)
	ln := l.goLoad(n, v.Part(8, 8, nil), 8)
	l.readGoString(dst, size, ptr, ln)
}

// readGoString reads the bytes of a Go string (pointer ptr, length ln)
// into the zeroed buffer dst of size bytes: at most ln+1 bytes (the read
// ends with a NUL) and at most size. ln is clobbered.
func (l *lowerer) readGoString(dst loc, size int, ptr, ln VReg) {
	b := l.b
	b.ALU(asm.Add, ln, Imm(1))
	ok := b.NewLabel("golen")
	b.Jump(asm.JLE, ln, Imm(int64(size)), ok)
	b.MovImm(ln, int64(size))
	b.Label(ok)
	b.Call(asm.FnProbeReadUserStr, l.addr(dst), R(ln), R(ptr))
}

// goWrite writes a Go string value e (a field of args, or str() of one).
func (l *lowerer) goWrite(e ast.Expr, v *types.GoValue, dst loc, size int) bool {
	if l.typeOf(e).Kind != types.String {
		return false
	}
	l.goString(e, v, dst, size, 0)
	return true
}

// goStr lowers str(args.s[, n]).
func (l *lowerer) goStr(e *ast.Call, v *types.GoValue, dst loc, size int) {
	var limit int64
	if len(e.Args) == 2 {
		lit, ok := e.Args[1].(*ast.Int)
		if !ok {
			l.errorf(e, "str() of a Go string takes a literal length")
			return
		}
		limit = int64(lit.Value)
		if limit == 0 {
			l.zero(dst, size)
			return
		}
	}
	l.goString(e, v, dst, size, limit)
	if limit > 0 && limit < int64(size) {
		l.zero(dst.plus(int(limit)), size-int(limit))
	}
}

// goid reads the current goroutine's id: R14 holds g in Go's register ABI,
// and goid is at an offset in runtime.g that the checker read from DWARF.
func (l *lowerer) goid(e *ast.Ident) VReg {
	off, ok := l.c.info.Goids[e]
	if !ok {
		l.errorf(e, "goid: the goid offset is unknown")
		return l.b.Const(0)
	}
	g := l.ctxReg(e, ptRegsR14)
	if off != 0 {
		l.b.ALU(asm.Add, g, Imm(int64(off)))
	}
	return l.readUser(e, g, 8)
}
