package codegen

import (
	"github.com/cilium/ebpf/asm"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/types"
)

// Go composites: print(args.m) of a Go struct, array, slice, interface or
// pointer to a struct or array. The checker expanded the value into
// leaves (types.GoComposite); each is written at its offset in the record
// argument: integers, bools, floats and words as their bytes in an
// 8-byte slot (read from memory straight into the record, or stored from
// a pt_regs register), strings as StringSize bytes read with
// bpf_probe_read_user_str. User space formats the leaves as %+v does.

// goComposite writes the leaves of comp at dst, which has size bytes.
func (l *lowerer) goComposite(e ast.Expr, comp *types.GoComposite, dst loc, size int) {
	if len(comp.Leaves) == 0 {
		l.zero(dst, size)
		return
	}
	bases := map[*types.GoValue]VReg{}
	for _, lf := range comp.Leaves {
		slot := dst.plus(lf.Offset)
		if lf.Type.Kind == types.String {
			l.goStringLeaf(e, lf.Value, slot, lf.Type.Size, bases)
			continue
		}
		l.goBytesTo(e, lf.Value, int(lf.Value.Type.Size), slot, bases)
	}
}

// goBase returns a fresh register holding the pointer v (a Go pointer
// value), loading it once per composite.
func (l *lowerer) goBase(n ast.Node, v *types.GoValue, bases map[*types.GoValue]VReg) VReg {
	r, ok := bases[v]
	if !ok {
		r = l.goLoad(n, v, 8)
		bases[v] = r
	}
	out := l.b.NewVReg()
	l.b.Mov(out, r)
	return out
}

// goBytesTo writes the size bytes (1 to 8) of v into the 8-byte slot,
// zeroing the rest of the slot.
func (l *lowerer) goBytesTo(n ast.Node, v *types.GoValue, size int, slot loc, bases map[*types.GoValue]VReg) {
	b := l.b
	if size <= 0 || size > 8 {
		l.errorf(n, "cannot read a %d-byte Go value into a record", size)
		return
	}
	if size < 8 {
		l.zero(slot, 8)
	}
	var src VReg
	switch {
	case v.Base != nil:
		src = l.goBase(n, v.Base, bases)
		if v.Offset != 0 {
			b.ALU(asm.Add, src, Imm(v.Offset))
		}
	case len(v.Pieces) != 1:
		l.errorf(n, "this Go value is not in one register or stack slot")
		return
	case v.Pieces[0].Reg != "":
		p := v.Pieces[0]
		if p.RegOff < 0 {
			l.errorf(n, "register %s is not in pt_regs", p.Reg)
			return
		}
		l.storeInt(slot, l.ctxReg(n, p.RegOff), size)
		return
	default:
		src = l.ctxReg(n, ptRegsSP)
		if s := v.Pieces[0].Stack; s != 0 {
			b.ALU(asm.Add, src, Imm(s))
		}
	}
	b.Call(asm.FnProbeReadUser, l.addr(slot), Imm(int64(size)), R(src))
}

// goStringLeaf writes a Go string's bytes at dst as a NUL-terminated
// buffer of size bytes: its pointer and length words are first put in
// dst and loaded from there, then at most length+1 bytes (at most size)
// are read over them.
func (l *lowerer) goStringLeaf(n ast.Node, v *types.GoValue, dst loc, size int, bases map[*types.GoValue]VReg) {
	b := l.b
	l.goBytesTo(n, v.Part(0, 8, nil), 8, dst, bases)
	l.goBytesTo(n, v.Part(8, 8, nil), 8, dst.plus(8), bases)
	ptr, ln := b.NewVReg(), b.NewVReg()
	b.Load(ptr, dst.base, dst.off, asm.DWord)
	b.Load(ln, dst.base, dst.off+8, asm.DWord)
	l.zero(dst, size)
	l.readGoString(dst, size, ptr, ln)
}
