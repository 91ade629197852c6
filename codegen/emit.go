package codegen

import (
	"math"
	"slices"

	"github.com/cilium/ebpf/asm"
)

// Compile allocates registers for the recorded program and emits it. It
// returns the first error recorded by the builder, a jump to an undefined
// label, a register used before it is defined on some path, or a frame
// over MaxStack bytes. Code that cannot be reached is dropped; a program
// whose end can be reached returns 0 there. The same IR always gives the
// same instructions.
func (b *Builder) Compile() (asm.Instructions, error) {
	if b.err != nil {
		return nil, b.err
	}
	insts, err := prune(slices.Clone(b.insts))
	if err != nil {
		return nil, err
	}
	a, err := allocate(insts, b.nvreg)
	if err != nil {
		return nil, err
	}
	slots, _, err := a.slotOffsets(b.frame)
	if err != nil {
		return nil, err
	}
	return emit(a.insts, a.reg, slots), nil
}

// emitter turns allocated IR into asm instructions.
type emitter struct {
	out     asm.Instructions
	reg     []asm.Register
	slots   []int
	used    []bool // virtual registers read somewhere
	syms    []string
	alias   map[string]string
	source  string // annotation of the IR instruction being emitted
	lastSrc string // last annotation attached
	first   string // first annotation of the program
}

// emit produces the instructions for insts under the register assignment
// reg and the spill slot offsets slots.
func emit(insts []inst, reg []asm.Register, slots []int) asm.Instructions {
	e := &emitter{reg: reg, slots: slots, used: make([]bool, len(reg)), alias: map[string]string{}}
	var buf []VReg
	for i := range insts {
		for _, u := range insts[i].uses(buf[:0]) {
			e.used[u] = true
		}
		if e.first == "" {
			e.first = insts[i].source
		}
	}
	for i := range insts {
		e.source = insts[i].source
		e.inst(&insts[i])
	}
	if len(e.syms) > 0 { // a label with no code after it
		e.push(asm.Mov.Imm(asm.R0, 0))
		e.push(asm.Return())
	}
	for i := range e.out {
		ins := &e.out[i]
		if ins.OpCode.Class().IsJump() && ins.OpCode.JumpOp() != asm.Call {
			if to, ok := e.alias[ins.Reference()]; ok {
				*ins = ins.WithReference(to)
			}
		}
	}
	return e.out
}

// push appends ins, giving it the pending label and, when it changed, the
// source annotation.
func (e *emitter) push(ins asm.Instruction) {
	if len(e.syms) > 0 {
		ins = ins.WithSymbol(e.syms[0])
		for _, s := range e.syms[1:] {
			e.alias[s] = e.syms[0]
		}
		e.syms = e.syms[:0]
	}
	src := e.source
	if len(e.out) == 0 && src == "" {
		// cilium/ebpf turns comments into BTF line info, and the kernel
		// then wants line info for the first instruction: the prologue
		// counts as part of the first annotated line.
		src = e.first
	}
	if src != "" && src != e.lastSrc {
		ins = ins.WithSource(asm.Comment(src))
		e.lastSrc = src
	}
	e.out = append(e.out, ins)
}

func (e *emitter) r(v VReg) asm.Register {
	if v == FP {
		return asm.R10
	}
	return e.reg[v]
}

// mov emits dst = src unless they are the same register.
func (e *emitter) mov(dst, src asm.Register) {
	if dst != src {
		e.push(asm.Mov.Reg(dst, src))
	}
}

// load emits dst = o for an operand.
func (e *emitter) load(dst asm.Register, o Operand) {
	switch o.kind {
	case operandReg:
		e.mov(dst, e.r(o.reg))
	case operandImm:
		if o.imm >= math.MinInt32 && o.imm <= math.MaxInt32 {
			e.push(asm.Mov.Imm(dst, int32(o.imm)))
		} else {
			e.push(asm.LoadImm(dst, o.imm, asm.DWord))
		}
	case operandStack:
		e.push(asm.Mov.Reg(dst, asm.R10))
		e.push(asm.Add.Imm(dst, int32(o.imm)))
	}
}

func (e *emitter) inst(in *inst) {
	dead := in.def() >= 0 && !e.used[in.def()]
	switch in.op {
	case irLabel:
		e.syms = append(e.syms, in.label)
	case irEntry:
		if !dead {
			e.mov(e.r(in.dst), asm.R1)
		}
	case irMov:
		if !dead {
			e.load(e.r(in.dst), in.src)
		}
	case irALU:
		e.alu(in)
	case irLoad:
		if !dead {
			e.push(asm.LoadMem(e.r(in.dst), e.r(in.base), int16(in.off), in.size))
		}
	case irStore:
		if in.src.isReg() {
			e.push(asm.StoreMem(e.r(in.base), int16(in.off), e.r(in.src.reg), in.size))
		} else {
			// asm.StoreImm refuses DWord, which the BPF ISA allows
			// (BPF_ST | BPF_MEM | BPF_DW, imm sign-extended).
			e.push(asm.Instruction{OpCode: asm.StoreImmOp(in.size), Dst: e.r(in.base), Offset: int16(in.off), Constant: in.src.imm})
		}
	case irMapPtr:
		if !dead {
			e.push(asm.LoadMapPtr(e.r(in.dst), 0).WithReference(in.mapName))
		}
	case irCall:
		e.call(in, dead)
	case irJump:
		switch {
		case in.jop == asm.Ja:
			e.push(asm.Ja.Label(in.label))
		case in.src.isReg():
			e.push(in.jop.Reg(e.r(in.lhs), e.r(in.src.reg), in.label))
		default:
			e.push(in.jop.Imm(e.r(in.lhs), int32(in.src.imm), in.label))
		}
	case irExit:
		e.load(asm.R0, in.src)
		e.push(asm.Return())
	case irSpillLoad:
		e.push(asm.LoadMem(e.r(in.dst), asm.R10, int16(e.slots[in.off]), asm.DWord))
	case irSpillStore:
		e.push(asm.StoreMem(asm.R10, int16(e.slots[in.off]), e.r(in.src.reg), asm.DWord))
	}
}

func (e *emitter) alu(in *inst) {
	dst := e.r(in.dst)
	switch {
	case in.alu == asm.Neg && in.alu32:
		e.push(asm.Neg.Imm32(dst, 0))
	case in.alu == asm.Neg:
		e.push(asm.Neg.Imm(dst, 0))
	case in.src.isReg() && in.alu32:
		e.push(in.alu.Reg32(dst, e.r(in.src.reg)))
	case in.src.isReg():
		e.push(in.alu.Reg(dst, e.r(in.src.reg)))
	case in.alu32:
		e.push(in.alu.Imm32(dst, int32(in.src.imm)))
	default:
		e.push(in.alu.Imm(dst, int32(in.src.imm)))
	}
}

// call moves the arguments into r1-r5, calls the helper and moves r0 to
// the result's register.
func (e *emitter) call(in *inst, dead bool) {
	var moves []regMove
	for k, a := range in.args {
		if a.isReg() {
			moves = append(moves, regMove{dst: asm.R1 + asm.Register(k), src: e.r(a.reg)})
		}
	}
	for _, m := range parallelMove(moves, asm.R0) {
		e.mov(m.dst, m.src)
	}
	for k, a := range in.args {
		if !a.isReg() {
			e.load(asm.R1+asm.Register(k), a)
		}
	}
	e.push(in.fn.Call())
	if !dead {
		e.mov(e.r(in.dst), asm.R0)
	}
}

// SourceAt returns the annotation of the code at raw instruction offset off
// (as a verifier log numbers instructions: 64-bit loads count twice): the
// last source comment at or before off, or "".
//
// The kernel's verifier log shows these comments itself only where the
// file and line number change; asm.Comment has neither, so the log shows
// just the first one. Map the failing instruction's offset with SourceAt.
func SourceAt(insns asm.Instructions, off int) string {
	src := ""
	iter := insns.Iterate()
	for iter.Next() && int(iter.Offset) <= off {
		if s := iter.Ins.Source(); s != nil {
			src = s.String()
		}
	}
	return src
}
