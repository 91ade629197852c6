package codegen

import (
	"github.com/cilium/ebpf/asm"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/types"
)

// builtin lowers an integer builtin identifier.
func (l *lowerer) builtin(e *ast.Ident) VReg {
	b := l.b
	name := l.c.info.Builtins[e]
	if name == "" {
		name = e.Name
	}
	switch name {
	case "pid":
		r := b.Call(asm.FnGetCurrentPidTgid)
		b.ALU(asm.RSh, r, Imm(32))
		return r
	case "tid":
		r := b.Call(asm.FnGetCurrentPidTgid)
		b.ZeroExtend(r, 32)
		return r
	case "uid":
		r := b.Call(asm.FnGetCurrentUidGid)
		b.ZeroExtend(r, 32)
		return r
	case "gid":
		r := b.Call(asm.FnGetCurrentUidGid)
		b.ALU(asm.RSh, r, Imm(32))
		return r
	case "nsecs":
		return b.Call(asm.FnKtimeGetNs)
	case "elapsed":
		return l.elapsed()
	case "cpu":
		return b.Call(asm.FnGetSmpProcessorId)
	case "rand":
		return b.Call(asm.FnGetPrandomU32)
	case "cgroup":
		return b.Call(asm.FnGetCurrentCgroupId)
	case "curtask":
		return b.Call(asm.FnGetCurrentTask)
	case "numaid":
		return b.Call(asm.FnGetNumaNodeId)
	case "retval":
		return l.ctxReg(e, 80)
	case "goid":
		return l.goid(e)
	case "probe", "func":
		return l.targetIndex()
	}
	if len(name) == 4 && name[:3] == "arg" {
		if r, ok := types.ArgRegister(int(name[3] - '0')); ok {
			return l.ctxReg(e, r.Offset)
		}
	}
	l.errorf(e, "the %s builtin is not supported yet", name)
	return b.Const(0)
}

// ctxReg loads the pt_regs slot at off: the context of k/uprobes is a
// struct pt_regs, and a perf event's context (bpf_perf_event_data) starts
// with one.
func (l *lowerer) ctxReg(n ast.Node, off int) VReg {
	r := l.b.NewVReg()
	switch l.p.Provider {
	case "uprobe", "uretprobe", "kprobe", "kretprobe", "interval", "profile":
		l.b.Load(r, l.b.Ctx(), off, asm.DWord)
	default:
		l.errorf(n, "registers can not be read in %s probes", l.p.Provider)
		l.b.MovImm(r, 0)
	}
	return r
}

// targetIndex identifies the firing target: the program's index in
// Program.Probes in the high 32 bits, the target's index in its Targets in
// the low 32 bits. The target index is a constant when the program has one
// target, else the attach cookie (the runtime sets each target's cookie to
// its index). The value is global, so it also means something as a map key
// or value written by several programs.
func (l *lowerer) targetIndex() VReg {
	hi := int64(l.index) << 32
	if len(l.p.Targets) <= 1 {
		return l.b.Const(hi)
	}
	r := l.b.Call(asm.FnGetAttachCookie, R(l.b.Ctx()))
	if hi != 0 {
		l.b.ALU(asm.Or, r, Imm(hi))
	}
	return r
}

// elapsed is nsecs minus the session start, which the runtime writes at
// key 0 of the elapsed map (see RoleElapsed); 0 when missing.
func (l *lowerer) elapsed() VReg {
	b := l.b
	m := b.NewVReg()
	b.LoadMapPtr(m, ElapsedMap)
	l.c.useMap(ElapsedMap)
	l.scratchKey()
	p := b.Call(asm.FnMapLookupElem, R(m), StackAddr(l.keySlot))
	start := b.Const(0)
	miss := b.NewLabel("nostart")
	b.Jump(asm.JEq, p, Imm(0), miss)
	b.Load(start, p, 0, asm.DWord)
	b.Label(miss)
	now := b.Call(asm.FnKtimeGetNs)
	b.ALU(asm.Sub, now, R(start))
	return now
}

// callInt lowers a call used as an integer.
func (l *lowerer) callInt(e *ast.Call) VReg {
	ci := l.c.info.Calls[e]
	switch e.Name {
	case "reg":
		if ci != nil && ci.Register != nil {
			return l.ctxReg(e, ci.Register.Offset)
		}
	}
	l.errorf(e, "%s() is not supported here yet", e.Name)
	return l.b.Const(0)
}
