package codegen

import (
	"github.com/cilium/ebpf/asm"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/types"
)

// Tracepoint fields: `args.NAME` in a tracepoint probe. ctx points at the
// tracepoint's raw record and the checker recorded, per target, where the
// field is in it (types.TpField); fields are read with direct ctx loads.
// When a wildcard matched tracepoints that place a field differently, the
// attach cookie (the target's index) selects the layout.

// tpField returns the tracepoint field e reads, or nil.
func (l *lowerer) tpField(e ast.Expr) *types.TpField {
	if f := l.c.info.TpFields[e]; f != nil && !f.Root {
		return f
	}
	return nil
}

// tpEach emits code for the layout of f in the firing target: once when
// all targets agree, else once per target behind a test of the cookie.
func (l *lowerer) tpEach(f *types.TpField, emit func(fd types.TracepointField)) {
	fields := f.Fields
	same := true
	for _, fd := range fields[1:] {
		same = same && fd == fields[0]
	}
	if same || len(fields) != len(l.p.Targets) {
		emit(fields[0])
		return
	}
	b := l.b
	cookie := b.Call(asm.FnGetAttachCookie, R(b.Ctx()))
	end := b.NewLabel("tpend")
	for i, fd := range fields {
		if i == len(fields)-1 {
			emit(fd)
			break
		}
		next := b.NewLabel("tpnext")
		b.Jump(asm.JNE, cookie, Imm(int64(i)), next)
		emit(fd)
		b.Ja(end)
		b.Label(next)
	}
	b.Label(end)
}

// tpInt loads an integer or pointer field, extended as its type says.
func (l *lowerer) tpInt(e ast.Expr, f *types.TpField) VReg {
	t := l.typeOf(e)
	r := l.b.NewVReg()
	if !isIntLike(t) {
		l.errorf(e, "a %s value is not supported here yet", t)
		l.b.MovImm(r, 0)
		return r
	}
	l.tpEach(f, func(fd types.TracepointField) {
		l.b.Load(r, l.b.Ctx(), fd.Offset, sizeOf(fd.Size))
	})
	l.truncate(r, t)
	return r
}

// tpWrite writes a string field (a char array or a __data_loc string) at
// dst, zero-padded to size bytes; false when e is not one.
func (l *lowerer) tpWrite(e ast.Expr, f *types.TpField, dst loc, size int) bool {
	if l.typeOf(e).Kind != types.String {
		return false
	}
	l.tpString(e, f, dst, size, size)
	return true
}

// tpString writes at most limit bytes (NUL included) of a string field.
func (l *lowerer) tpString(n ast.Node, f *types.TpField, dst loc, size, limit int) {
	b := l.b
	limit = min(limit, size)
	l.zero(dst, size)
	if limit <= 0 {
		return
	}
	l.tpEach(f, func(fd types.TracepointField) {
		if !fd.DataLoc {
			// A char array in the record: copy it, keeping a final NUL.
			l.copyMem(dst, loc{b.Ctx(), fd.Offset}, min(fd.Size, limit-1))
			return
		}
		// __data_loc: a u32 holding length<<16 | offset of the bytes.
		ptr := b.NewVReg()
		b.Load(ptr, b.Ctx(), fd.Offset, asm.Word)
		b.ALU(asm.And, ptr, Imm(0xffff))
		base := b.NewVReg()
		b.Mov(base, b.Ctx())
		b.ALU(asm.Add, ptr, R(base))
		b.Call(asm.FnProbeReadKernelStr, l.addr(dst), Imm(int64(limit)), R(ptr))
	})
}

// tpStr lowers str(args.NAME[, n]) for a pointer or string field: user
// pointers (syscall arguments) are read with probe_read_user_str, kernel
// ones with probe_read_kernel_str.
func (l *lowerer) tpStr(e *ast.Call, f *types.TpField, dst loc, size int) bool {
	limit := size
	if len(e.Args) == 2 {
		lit, ok := e.Args[1].(*ast.Int)
		if !ok {
			return false
		}
		limit = int(min(lit.Value, uint64(size)))
	}
	if l.typeOf(e.Args[0]).Kind == types.String {
		l.tpString(e, f, dst, size, limit)
		return true
	}
	if f.User {
		return false // the generic str() reads user memory
	}
	l.zero(dst, size)
	ptr := l.intExpr(e.Args[0])
	l.b.Call(asm.FnProbeReadKernelStr, l.addr(dst), Imm(int64(limit)), R(ptr))
	return true
}
