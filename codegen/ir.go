package codegen

import (
	"fmt"
	"strings"

	"github.com/cilium/ebpf/asm"
)

// VReg is a virtual register of the IR. Builder.NewVReg hands them out;
// register allocation maps each one to a BPF register or a stack slot.
type VReg int

// FP stands for the frame pointer r10 where an instruction takes a base
// register (Builder.Load, Builder.Store): the address is then r10+off.
const FP VReg = -1

// noVReg marks an unused register field of an instruction.
const noVReg VReg = -2

func (v VReg) String() string {
	switch v {
	case FP:
		return "fp"
	case noVReg:
		return "_"
	}
	return fmt.Sprintf("v%d", int(v))
}

type operandKind uint8

const (
	operandNone operandKind = iota
	operandReg
	operandImm
	operandStack // the address r10+imm
)

// An Operand is the source of an instruction: a virtual register, an
// immediate, or (for helper arguments and moves) the address of a stack
// slot.
type Operand struct {
	kind operandKind
	reg  VReg
	imm  int64
}

// R is a register operand.
func R(v VReg) Operand { return Operand{kind: operandReg, reg: v} }

// Imm is an immediate operand. Values that do not fit in 32 bits are
// materialised with a 64-bit load where the instruction needs it.
func Imm(x int64) Operand { return Operand{kind: operandImm, imm: x} }

// StackAddr is the address r10+off of a stack slot (off as returned by
// Builder.AllocStack), typically a helper's pointer argument.
func StackAddr(off int) Operand { return Operand{kind: operandStack, imm: int64(off)} }

func (o Operand) isReg() bool { return o.kind == operandReg }

func (o Operand) String() string {
	switch o.kind {
	case operandReg:
		return o.reg.String()
	case operandImm:
		return fmt.Sprint(o.imm)
	case operandStack:
		return fmt.Sprintf("fp%+d", o.imm)
	}
	return "_"
}

type irOp uint8

const (
	irEntry      irOp = iota // dst = context pointer (r1 at entry)
	irMov                    // dst = src
	irALU                    // dst = dst <alu> src (alu32: 32-bit op)
	irLoad                   // dst = *(size *)(base + off)
	irStore                  // *(size *)(base + off) = src
	irMapPtr                 // dst = map pointer of mapName
	irCall                   // dst = fn(args...)
	irJump                   // if lhs <jop> src goto label; Ja: goto label
	irLabel                  // label:
	irExit                   // return src
	irSpillLoad              // dst = spill slot off
	irSpillStore             // spill slot off = src
)

// inst is one IR instruction. Unused register fields hold noVReg.
type inst struct {
	op      irOp
	dst     VReg
	src     Operand
	base    VReg // load/store base, FP for r10
	lhs     VReg // jump left-hand side
	off     int  // memory offset; spill slot number
	size    asm.Size
	alu     asm.ALUOp
	alu32   bool
	jop     asm.JumpOp
	label   string
	fn      asm.BuiltinFunc
	args    []Operand
	mapName string
	source  string // annotation, e.g. the script line
	temp    bool   // dst is a spill temporary that must not be spilled again
}

// uses appends the virtual registers inst reads to buf.
func (in *inst) uses(buf []VReg) []VReg {
	if in.src.isReg() {
		buf = append(buf, in.src.reg)
	}
	switch in.op {
	case irALU:
		buf = append(buf, in.dst)
	case irLoad, irStore:
		if in.base >= 0 {
			buf = append(buf, in.base)
		}
	case irCall:
		for _, a := range in.args {
			if a.isReg() {
				buf = append(buf, a.reg)
			}
		}
	case irJump:
		if in.lhs >= 0 {
			buf = append(buf, in.lhs)
		}
	}
	return buf
}

// def returns the virtual register inst writes, or noVReg.
func (in *inst) def() VReg {
	switch in.op {
	case irEntry, irMov, irALU, irLoad, irMapPtr, irCall, irSpillLoad:
		return in.dst
	}
	return noVReg
}

// rename replaces every occurrence of old in inst by new.
func (in *inst) rename(old, new VReg) {
	sub := func(v *VReg) {
		if *v == old {
			*v = new
		}
	}
	sub(&in.dst)
	sub(&in.base)
	sub(&in.lhs)
	if in.src.isReg() {
		sub(&in.src.reg)
	}
	if in.args != nil {
		args := make([]Operand, len(in.args))
		copy(args, in.args)
		for i := range args {
			if args[i].isReg() {
				sub(&args[i].reg)
			}
		}
		in.args = args
	}
}

// isTerminator reports whether control never falls through inst to the next.
func (in *inst) isTerminator() bool {
	return in.op == irExit || (in.op == irJump && in.jop == asm.Ja)
}

func (in *inst) String() string {
	mem := func(base VReg, off int) string {
		return fmt.Sprintf("*(%s *)(%s%+d)", sizeName(in.size), base, off)
	}
	op := func() string {
		s := strings.ToLower(strings.TrimSuffix(in.alu.String(), "ALUOp"))
		if in.alu32 {
			s += "32"
		}
		return s
	}
	switch in.op {
	case irEntry:
		return fmt.Sprintf("%s = ctx", in.dst)
	case irMov:
		return fmt.Sprintf("%s = %s", in.dst, in.src)
	case irALU:
		if in.alu == asm.Neg {
			return fmt.Sprintf("%s = %s %s", in.dst, op(), in.dst)
		}
		return fmt.Sprintf("%s = %s %s, %s", in.dst, op(), in.dst, in.src)
	case irLoad:
		return fmt.Sprintf("%s = %s", in.dst, mem(in.base, in.off))
	case irStore:
		return fmt.Sprintf("%s = %s", mem(in.base, in.off), in.src)
	case irMapPtr:
		return fmt.Sprintf("%s = map %s", in.dst, in.mapName)
	case irCall:
		args := make([]string, len(in.args))
		for i, a := range in.args {
			args[i] = a.String()
		}
		return fmt.Sprintf("%s = call %v(%s)", in.dst, in.fn, strings.Join(args, ", "))
	case irJump:
		if in.jop == asm.Ja {
			return "goto " + in.label
		}
		return fmt.Sprintf("if %s %v %s goto %s", in.lhs, in.jop, in.src, in.label)
	case irLabel:
		return in.label + ":"
	case irExit:
		return fmt.Sprintf("exit %s", in.src)
	case irSpillLoad:
		return fmt.Sprintf("%s = spill[%d]", in.dst, in.off)
	case irSpillStore:
		return fmt.Sprintf("spill[%d] = %s", in.off, in.src)
	}
	return "?"
}

func sizeName(s asm.Size) string {
	switch s {
	case asm.Byte:
		return "u8"
	case asm.Half:
		return "u16"
	case asm.Word:
		return "u32"
	}
	return "u64"
}

// formatIR renders an instruction list, one per line, for errors and tests.
func formatIR(insts []inst) string {
	var b strings.Builder
	src := ""
	for i := range insts {
		if s := insts[i].source; s != "" && s != src {
			fmt.Fprintf(&b, "\t; %s\n", s)
			src = s
		}
		if insts[i].op != irLabel {
			b.WriteString("\t")
		}
		b.WriteString(insts[i].String())
		b.WriteString("\n")
	}
	return b.String()
}
