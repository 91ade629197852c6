package codegen

import (
	"fmt"

	"github.com/cilium/ebpf/asm"
)

// runIR interprets IR instructions directly on virtual registers.
func runIR(insts []inst) (uint64, *machine, error) {
	m := &machine{}
	regs := map[VReg]uint64{}
	get := func(v VReg) uint64 {
		if v == FP {
			return stackTop
		}
		x, ok := regs[v]
		if !ok {
			m.fail("IR read of undefined %v", v)
		}
		return x
	}
	val := func(o Operand) uint64 {
		switch o.kind {
		case operandReg:
			return get(o.reg)
		case operandStack:
			return uint64(stackTop + o.imm)
		}
		return uint64(o.imm)
	}
	labels := map[string]int{}
	for i, in := range insts {
		if in.op == irLabel {
			labels[in.label] = i
		}
	}
	for pc := 0; pc < len(insts) && m.failed == nil; pc++ {
		if m.steps++; m.steps > maxSteps {
			return 0, m, fmt.Errorf("IR: too many steps")
		}
		in := &insts[pc]
		switch in.op {
		case irEntry:
			regs[in.dst] = ctxBase
		case irMov:
			regs[in.dst] = val(in.src)
		case irALU:
			regs[in.dst] = aluEval(in.alu, in.alu32, get(in.dst), val(in.src))
		case irLoad:
			regs[in.dst] = m.load(get(in.base)+uint64(in.off), sizeBytes(in.size))
		case irStore:
			m.store(get(in.base)+uint64(in.off), sizeBytes(in.size), val(in.src))
		case irMapPtr:
			regs[in.dst] = mapAddr(in.mapName)
		case irCall:
			args := make([]uint64, 5)
			for k, a := range in.args {
				args[k] = val(a)
			}
			regs[in.dst] = m.helper(in.fn, args[:len(in.args)])
		case irJump:
			if in.jop == asm.Ja || jumpEval(in.jop, get(in.lhs), val(in.src)) {
				pc = labels[in.label]
			}
		case irExit:
			return val(in.src), m, m.failed
		case irLabel:
		default:
			return 0, m, fmt.Errorf("IR: unexpected op %v", in.String())
		}
	}
	if m.failed != nil {
		return 0, m, m.failed
	}
	return 0, m, nil // falling off the end returns 0, as Compile makes it
}

// runBPF interprets emitted BPF: the subset codegen produces. It tracks
// which registers hold a value, as the verifier does: a helper call leaves
// r1-r5 unreadable.
func runBPF(insns asm.Instructions) (uint64, *machine, error) {
	m := &machine{}
	var regs [11]uint64
	var ok [11]bool
	regs[1], ok[1] = ctxBase, true
	regs[10], ok[10] = stackTop, true
	get := func(r asm.Register) uint64 {
		if !ok[r] {
			m.fail("read of uninitialised %v", r)
		}
		return regs[r]
	}
	set := func(r asm.Register, v uint64) {
		if r == asm.R10 {
			m.fail("write to r10")
		}
		regs[r], ok[r] = v, true
	}
	labels := map[string]int{}
	for i, ins := range insns {
		if s := ins.Symbol(); s != "" {
			labels[s] = i
		}
	}
	for pc := 0; pc < len(insns) && m.failed == nil; pc++ {
		if m.steps++; m.steps > maxSteps {
			return 0, m, fmt.Errorf("BPF: too many steps")
		}
		ins := insns[pc]
		op := ins.OpCode
		src := func() uint64 {
			if op.Source() == asm.RegSource {
				return get(ins.Src)
			}
			return uint64(ins.Constant)
		}
		switch cls := op.Class(); {
		case cls == asm.ALU64Class || cls == asm.ALUClass:
			s := src()
			d := uint64(0)
			if op.ALUOp() != asm.Mov {
				d = get(ins.Dst)
			}
			set(ins.Dst, aluEval(op.ALUOp(), cls == asm.ALUClass, d, s))
		case ins.IsLoadFromMap():
			set(ins.Dst, mapAddr(ins.Reference()))
		case cls == asm.LdClass:
			set(ins.Dst, uint64(ins.Constant))
		case cls == asm.LdXClass:
			set(ins.Dst, m.load(get(ins.Src)+uint64(int64(ins.Offset)), op.Size().Sizeof()))
		case cls == asm.StClass:
			m.store(get(ins.Dst)+uint64(int64(ins.Offset)), op.Size().Sizeof(), uint64(ins.Constant))
		case cls == asm.StXClass:
			m.store(get(ins.Dst)+uint64(int64(ins.Offset)), op.Size().Sizeof(), get(ins.Src))
		case cls == asm.JumpClass:
			switch op.JumpOp() {
			case asm.Call:
				fn := asm.BuiltinFunc(ins.Constant)
				args := make([]uint64, helperArity[fn])
				for k := range args {
					args[k] = get(asm.R1 + asm.Register(k))
				}
				set(asm.R0, m.helper(fn, args))
				for r := asm.R1; r <= asm.R5; r++ {
					regs[r], ok[r] = 0xbadbadbad, false
				}
			case asm.Exit:
				return get(asm.R0), m, m.failed
			default:
				var taken bool
				if op.JumpOp() == asm.Ja {
					taken = true
				} else {
					taken = jumpEval(op.JumpOp(), get(ins.Dst), src())
				}
				if taken {
					t, found := labels[ins.Reference()]
					if !found {
						return 0, m, fmt.Errorf("BPF: jump to unknown %q", ins.Reference())
					}
					pc = t - 1
				}
			}
		default:
			return 0, m, fmt.Errorf("BPF: unexpected instruction %v", ins)
		}
	}
	if m.failed != nil {
		return 0, m, m.failed
	}
	return 0, m, fmt.Errorf("BPF: fell off the end of the program")
}
