package runtime

import (
	"github.com/gobpftrace/gobpftrace/codegen"
	"github.com/gobpftrace/gobpftrace/output"
	"github.com/gobpftrace/gobpftrace/types"
)

// stackKey decodes a stack used as a map key: codegen stored the stack id
// of bpf_get_stackid in the low 32 bits (with the pid in the high 32 bits
// for user stacks); the frames are in the stack trace map codegen names
// with StackMapName. A failed bpf_get_stackid (a negative id) or a stack no
// longer in the map gives an empty stack.
func (s *Session) stackKey(b []byte, t *types.Type) output.Value {
	kernel := t.Kind == types.Kstack
	kind := output.Ustack
	if kernel {
		kind = output.Kstack
	}
	v := le64(b)
	id, pid := uint32(v), uint32(v>>32)
	limit := t.Stack.Limit
	if limit <= 0 {
		limit = types.DefaultStackLimit
	}
	m := s.objs.Map(codegen.StackMapName(kernel, limit))
	if m == nil || int32(id) < 0 {
		return output.Stack(kind)
	}
	raw := make([]byte, 8*limit)
	if err := m.Lookup(id, &raw); err != nil {
		return output.Stack(kind)
	}
	if kernel {
		return output.Stack(kind, s.syms.kernel(addrs(raw))...)
	}
	return output.Stack(kind, s.syms.user(pid, addrs(raw), t.Stack.Mode == "go")...)
}
