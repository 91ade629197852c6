package codegen

import (
	"fmt"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"

	"github.com/gobpftrace/gobpftrace/types"
)

// StackMapName names the stack trace map that holds the kernel (or user)
// stacks of limit frames used as map keys.
func StackMapName(kernel bool, limit int) string {
	if kernel {
		return fmt.Sprintf("stk_k%d", limit)
	}
	return fmt.Sprintf("stk_u%d", limit)
}

// frameLimit is the number of frames a stack type keeps.
func frameLimit(t *types.Type) int {
	if t.Stack.Limit <= 0 {
		return types.DefaultStackLimit
	}
	return t.Stack.Limit
}

// stackKey writes the 8-byte map key of a ustack or kstack: the stack id
// bpf_get_stackid gives (as an unsigned 32-bit value; an error stays
// negative in those bits), with the pid in the high half for user stacks so
// that user space can symbolize them. Records carry stacks inline instead
// (see stack); a hash key cannot hold the frames.
func (l *lowerer) stackKey(t *types.Type, dst loc) {
	b := l.b
	kernel := t.Kind == types.Kstack
	limit := frameLimit(t)
	name := StackMapName(kernel, limit)
	if l.c.maps[name] == nil {
		l.c.maps[name] = &Map{Name: name, Role: RoleStack, Spec: &ebpf.MapSpec{
			Name: name, Type: ebpf.StackTrace, KeySize: 4, ValueSize: uint32(8 * limit), MaxEntries: DefaultMaxEntries}}
	}
	m := b.NewVReg()
	b.LoadMapPtr(m, name)
	flags := int64(0)
	if !kernel {
		flags = fUserStack
	}
	id := b.Call(asm.FnGetStackid, R(b.Ctx()), R(m), Imm(flags))
	b.ZeroExtend(id, 32)
	if !kernel {
		pid := b.Call(asm.FnGetCurrentPidTgid)
		b.ALU(asm.RSh, pid, Imm(32))
		b.ALU(asm.LSh, pid, Imm(32))
		b.ALU(asm.Or, id, R(pid))
	}
	l.storeInt(dst, id, 8)
}
