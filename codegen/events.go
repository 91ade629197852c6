package codegen

import (
	"github.com/cilium/ebpf/asm"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/types"
)

// BPF_F_USER_STACK, bpf_get_stack's flag for the user stack.
const fUserStack = 256

// Ring buffer output flags and bpf_ringbuf_query's selector
// (include/uapi/linux/bpf.h).
const (
	rbNoWakeup    = 1
	rbForceWakeup = 2
	rbAvailData   = 0
)

// callStmt lowers a call whose value is dropped.
func (l *lowerer) callStmt(e *ast.Call) {
	switch e.Name {
	case "printf":
		l.printf(e)
	case "print":
		l.print(e)
	case "time":
		// The time is taken in user space when the record arrives, as
		// bpftrace does; only the event id enters the kernel.
		format := "%H:%M:%S\n"
		if len(e.Args) == 1 {
			if s, ok := e.Args[0].(*ast.Str); ok {
				format = s.Value
			}
		}
		l.emitRecord(e, &Event{Kind: EventTime, Format: format}, nil)
	case "exit":
		l.emitRecord(e, &Event{Kind: EventExit}, nil)
		l.exitedFlag("", true)
		l.b.Exit(Imm(0))
	case "delete":
		l.deleteCall(e)
	case "clear", "zero":
		ci := l.c.info.Calls[e]
		kind := EventClear
		if e.Name == "zero" {
			kind = EventZero
		}
		if ci != nil {
			l.c.userMap(ci.Map)
			l.emitRecord(e, &Event{Kind: kind, Map: ci.Map}, nil)
		}
	default:
		t := l.typeOf(e)
		if isIntLike(t) {
			l.intExpr(e)
			return
		}
		l.errorf(e, "%s() is not supported yet", e.Name)
	}
}

// argSize is the number of bytes a value of type t takes in a record.
// Integers take 8 whatever their size, and so do floats: a float32's bits
// zero-extended (the argument's Type says float32 or float64).
func argSize(t *types.Type) int {
	switch t.Kind {
	case types.Int, types.Pointer, types.Probe, types.Usym, types.Ksym, types.Float:
		return 8
	case types.Ustack:
		return 8 + 8*t.Stack.Limit
	case types.Kstack:
		return 8 * t.Stack.Limit
	}
	return t.Size
}

func (l *lowerer) printf(e *ast.Call) {
	if len(e.Args) == 0 {
		return
	}
	f, _ := e.Args[0].(*ast.Str)
	if f == nil {
		l.errorf(e, "printf() expects a format string literal")
		return
	}
	l.emitRecord(e, &Event{Kind: EventPrintf, Format: f.Value}, e.Args[1:])
}

// print lowers print(@map[, top[, div]]) and print(value).
func (l *lowerer) print(e *ast.Call) {
	ci := l.c.info.Calls[e]
	if ci != nil && ci.Map != "" || len(e.Args) > 0 && isMap(e.Args[0]) {
		name := ""
		if ci != nil {
			name = ci.Map
		}
		l.c.userMap(name)
		// The top and div arguments travel as record arguments.
		l.emitRecord(e, &Event{Kind: EventPrint, Map: name}, e.Args[1:])
		return
	}
	l.emitRecord(e, &Event{Kind: EventPrint}, e.Args)
}

func isMap(e ast.Expr) bool { _, ok := e.(*ast.Map); return ok }

// emitRecord lays out a record (u64 id, then args at 8-aligned offsets),
// registers its event, builds it in scratch space and sends it through
// the ring buffer.
func (l *lowerer) emitRecord(e *ast.Call, ev *Event, args []ast.Expr) {
	ev.Span = e.Span
	ev.Probe = l.index
	off := 8
	for _, a := range args {
		t := l.typeOf(a)
		comp := l.c.info.GoComposites[a]
		if comp != nil {
			t = comp.Record
		}
		if t.IsNone() || t.Kind.IsAggregation() {
			l.errorf(a, "a %s value can not be printed here", t)
			return
		}
		size := argSize(t)
		ev.Args = append(ev.Args, Arg{Offset: off, Type: t, Size: size, Go: comp})
		off += (size + 7) &^ 7
	}
	ev.Size = off
	id := l.c.addEvent(ev)
	rec := l.scratchAlloc(e, ev.Size)
	l.storeBytes(rec, le64(uint64(id)), 8)
	for i, a := range args {
		l.writeValue(a, rec.plus(ev.Args[i].Offset), (ev.Args[i].Size+7)&^7)
	}
	l.output(rec, ev.Size, ev.Kind == EventExit)
}

// exitedFlag reads (set false: jump to skip when it is set) or sets the
// flag exit() leaves for every later probe hit.
func (l *lowerer) exitedFlag(skip string, set bool) {
	b := l.b
	l.c.useMap(ExitedMap)
	m := b.NewVReg()
	b.LoadMapPtr(m, ExitedMap)
	l.scratchKey()
	p := b.Call(asm.FnMapLookupElem, R(m), StackAddr(l.keySlot))
	done := b.NewLabel("exited")
	if skip == "" {
		skip = done
	}
	b.Jump(asm.JEq, p, Imm(0), done)
	if set {
		b.Store(p, 0, Imm(1), asm.DWord)
	} else {
		v := b.NewVReg()
		b.Load(v, p, 0, asm.DWord)
		b.Jump(asm.JNE, v, Imm(0), skip)
	}
	b.Label(done)
}

func le64(v uint64) []byte {
	b := make([]byte, 8)
	for i := range b {
		b[i] = byte(v >> (8 * i))
	}
	return b
}

// output sends size bytes at rec through the ring buffer, waking the
// reader only when much is pending (or always, with wake), and counts a
// failure in the lost map.
func (l *lowerer) output(rec loc, size int, wake bool) {
	b := l.b
	l.c.useMap(RingBufMap)
	l.c.useMap(LostMap)
	ring := b.NewVReg()
	b.LoadMapPtr(ring, RingBufMap)
	var flags VReg
	if wake {
		flags = b.Const(rbForceWakeup)
	} else {
		avail := b.Call(asm.FnRingbufQuery, R(ring), Imm(rbAvailData))
		quiet := b.NewLabel("quiet")
		flags = b.Const(rbNoWakeup)
		b.Jump(asm.JLE, avail, Imm(WakeupThreshold), quiet)
		b.MovImm(flags, rbForceWakeup)
		b.Label(quiet)
	}
	ring2 := b.NewVReg()
	b.LoadMapPtr(ring2, RingBufMap)
	ret := b.Call(asm.FnRingbufOutput, R(ring2), l.addr(rec), Imm(int64(size)), R(flags))
	sent := b.NewLabel("sent")
	b.Jump(asm.JSGE, ret, Imm(0), sent)
	lost := b.NewVReg()
	b.LoadMapPtr(lost, LostMap)
	l.scratchKey()
	p := b.Call(asm.FnMapLookupElem, R(lost), StackAddr(l.keySlot))
	b.Jump(asm.JEq, p, Imm(0), sent)
	n := b.NewVReg()
	b.Load(n, p, 0, asm.DWord)
	b.ALU(asm.Add, n, Imm(1))
	b.Store(p, 0, R(n), asm.DWord)
	b.Label(sent)
}

// writeValue writes the value of e at dst, which has room for size bytes
// (at least the value's own size); bytes past the value are zeroed.
func (l *lowerer) writeValue(e ast.Expr, dst loc, size int) {
	t := l.typeOf(e)
	if comp := l.c.info.GoComposites[e]; comp != nil {
		l.goComposite(e, comp, dst, size)
		return
	}
	if v := l.goValue(e); v != nil && l.goWrite(e, v, dst, size) {
		return
	}
	if f := l.tpField(e); f != nil && l.tpWrite(e, f, dst, size) {
		return
	}
	if isIntLike(t) {
		r := l.intExpr(e)
		if size >= 8 {
			l.storeInt(dst, r, 8)
			l.zero(dst.plus(8), size-8)
		} else {
			l.storeInt(dst, r, size)
		}
		return
	}
	switch e := e.(type) {
	case *ast.Str:
		l.storeBytes(dst, []byte(e.Value), size)
		return
	case *ast.PositionalParam:
		s := ""
		if e.N >= 1 && e.N <= len(l.c.info.Params) {
			s = l.c.info.Params[e.N-1]
		}
		if len(s) >= size {
			s = s[:size-1]
		}
		l.storeBytes(dst, []byte(s), size)
		return
	case *ast.Var:
		v := l.variable(e, e.Name, l.varType(e.Name))
		n := min(size, (v.t.Size+7)&^7)
		l.copyMem(dst, v.mem, n)
		l.zero(dst.plus(n), size-n)
		return
	case *ast.Map:
		l.mapReadMem(e, dst, size)
		return
	case *ast.Ident:
		switch l.c.info.Builtins[e] {
		case "comm":
			l.b.Call(asm.FnGetCurrentComm, l.addr(dst), Imm(16))
			l.zero(dst.plus(16), size-16)
			return
		case "ustack", "kstack":
			l.stack(e, t, dst)
			return
		}
	case *ast.Call:
		switch e.Name {
		case "str":
			l.str(e, dst, size)
			return
		case "ustack", "kstack":
			l.stack(e, t, dst)
			return
		}
	case *ast.Ternary:
		if e.Then != nil {
			elseL, endL := l.b.NewLabel("telse"), l.b.NewLabel("tend")
			l.cond(e.Cond, elseL, false)
			l.writeValue(e.Then, dst, size)
			l.b.Ja(endL)
			l.b.Label(elseL)
			l.writeValue(e.Else, dst, size)
			l.b.Label(endL)
			return
		}
	case *ast.Tuple:
		if t.Kind == types.Tuple && len(t.Fields) == len(e.Elems) {
			end := 0
			for i, x := range e.Elems {
				f := t.Fields[i]
				l.zero(dst.plus(end), f.Offset-end)
				l.writeValue(x, dst.plus(f.Offset), f.Type.Size)
				end = f.Offset + f.Type.Size
			}
			l.zero(dst.plus(end), size-end)
			return
		}
	}
	l.errorf(e, "a %s value is not supported here yet", t)
}

// str writes str(ptr[, n]): at most n bytes (NUL included, at most the
// string size) read from user memory, zero-padded.
func (l *lowerer) str(e *ast.Call, dst loc, size int) {
	b := l.b
	t := l.typeOf(e)
	if p, ok := e.Args[0].(*ast.PositionalParam); ok {
		l.writeValue(p, dst, size)
		return
	}
	if v := l.goValue(e.Args[0]); v != nil {
		l.goStr(e, v, dst, size)
		return
	}
	if f := l.tpField(e.Args[0]); f != nil && l.tpStr(e, f, dst, size) {
		return
	}
	l.zero(dst, size)
	ptr := l.intExpr(e.Args[0])
	var n Operand = Imm(int64(t.Size))
	if len(e.Args) == 2 {
		if lit, ok := e.Args[1].(*ast.Int); ok {
			n = Imm(int64(min(lit.Value, uint64(t.Size))))
		} else {
			r := l.intExpr(e.Args[1])
			ok := b.NewLabel("strlen")
			b.Jump(asm.JLE, r, Imm(int64(t.Size)), ok)
			b.MovImm(r, int64(t.Size))
			b.Label(ok)
			n = R(r)
		}
	}
	b.Call(asm.FnProbeReadUserStr, l.addr(dst), n, R(ptr))
}

// stack writes ustack/kstack inline: for ustack the pid, then the frames.
// At a function's entry (uprobe without offset), and at the RETs where a
// Go return probe fires, the frame pointer chain skips the caller, whose
// return address is at [sp]: it is put in as the second frame.
func (l *lowerer) stack(e ast.Expr, t *types.Type, dst loc) {
	b := l.b
	limit := frameLimit(t)
	if t.Kind == types.Kstack {
		b.Call(asm.FnGetStack, R(b.Ctx()), l.addr(dst), Imm(int64(8*limit)), Imm(0))
		return
	}
	pid := b.Call(asm.FnGetCurrentPidTgid)
	b.ALU(asm.RSh, pid, Imm(32))
	l.storeInt(dst, pid, 8)
	frames := dst.plus(8)
	if !l.entryProbe() || limit < 2 {
		b.Call(asm.FnGetStack, R(b.Ctx()), l.addr(frames), Imm(int64(8*limit)), Imm(fUserStack))
		return
	}
	n := b.Call(asm.FnGetStack, R(b.Ctx()), l.addr(frames.plus(8)), Imm(int64(8*(limit-1))), Imm(fUserStack))
	done := b.NewLabel("nostack")
	b.Jump(asm.JSLE, n, Imm(0), done)
	ip := b.NewVReg()
	b.Load(ip, frames.base, frames.off+8, asm.DWord)
	l.storeInt(frames, ip, 8)
	sp := b.NewVReg()
	b.Load(sp, b.Ctx(), 152, asm.DWord)
	b.Call(asm.FnProbeReadUser, l.addr(frames.plus(8)), Imm(8), R(sp))
	b.Label(done)
}

// entryProbe reports whether every target of the program fires where the
// return address into the caller is at [sp] and the frame pointer chain
// skips the caller: a uprobe at a function's first instruction, or a Go
// return probe, which fires at the function's RETs, its frame popped.
func (l *lowerer) entryProbe() bool {
	for _, t := range l.p.Targets {
		switch l.p.Provider {
		case "uprobe":
			if t.Symbol == "" || t.Offset != 0 {
				return false
			}
		case "uretprobe":
			if len(t.Returns) == 0 {
				return false
			}
		default:
			return false
		}
	}
	return len(l.p.Targets) > 0
}
