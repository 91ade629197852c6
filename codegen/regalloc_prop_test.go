package codegen

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand"
	"testing"

	"github.com/cilium/ebpf/asm"
)

// genProgram builds a random program over a pool of live values: ALU ops,
// helper calls with register, immediate and stack-address arguments, stack
// and context loads, diamonds, bounded loops and early exits. Every value
// feeds the final result, so a clobbered register changes it. For the
// kernel (socket filter), calls are limited to argument-free helpers whose
// result is shifted right by 63 (always 0), and the context is not read.
func genProgram(rng *rand.Rand, npool, nseg int, kernel bool) *Builder {
	b := NewBuilder()
	slots := []int{b.AllocStack(8, 8), b.AllocStack(8, 8)}
	pool := make([]VReg, npool)
	for i := range pool {
		pool[i] = b.NewVReg()
		if rng.Intn(4) == 0 {
			b.MovImm(pool[i], rng.Int63()-rng.Int63())
		} else {
			b.MovImm(pool[i], int64(rng.Intn(200)-100))
		}
	}
	for _, s := range slots {
		b.Store(FP, s, Imm(int64(rng.Intn(1000))), asm.DWord)
	}
	pick := func() VReg { return pool[rng.Intn(len(pool))] }
	operand := func() Operand {
		if rng.Intn(3) == 0 {
			return Imm(int64(rng.Intn(2000) - 1000))
		}
		return R(pick())
	}
	ops := func(n int) {
		for range n {
			b.SetSource(fmt.Sprintf("op %d", rng.Intn(1000)))
			k := rng.Intn(12)
			if kernel && (k >= 5 && k <= 7 || k == 10) {
				r := b.Call([]asm.BuiltinFunc{asm.FnKtimeGetNs, asm.FnGetPrandomU32}[rng.Intn(2)])
				b.ALU(asm.RSh, r, Imm(63))
				b.ALU(asm.Add, pick(), R(r))
				continue
			}
			switch k {
			case 0, 1, 2:
				alu := []asm.ALUOp{asm.Add, asm.Sub, asm.Mul, asm.Or, asm.And, asm.Xor, asm.Div, asm.Mod}[rng.Intn(8)]
				src := operand()
				if (alu == asm.Div || alu == asm.Mod) && src.kind == operandImm && src.imm == 0 {
					src = Imm(7)
				}
				if rng.Intn(4) == 0 {
					b.ALU32(alu, pick(), src)
				} else {
					b.ALU(alu, pick(), src)
				}
			case 3:
				sh := []asm.ALUOp{asm.LSh, asm.RSh, asm.ArSh}[rng.Intn(3)]
				b.ALU(sh, pick(), Imm(int64(rng.Intn(64))))
			case 4:
				b.Mov(pick(), pick())
			case 5, 6:
				fns := []asm.BuiltinFunc{asm.FnKtimeGetNs, asm.FnGetPrandomU32, asm.FnMapLookupElem, asm.FnTracePrintk, asm.FnGetCurrentPidTgid}
				fn := fns[rng.Intn(len(fns))]
				args := make([]Operand, helperArity[fn])
				for k := range args {
					args[k] = operand()
				}
				if len(args) == 5 { // permuted register arguments
					rng.Shuffle(len(args), func(i, j int) { args[i], args[j] = args[j], args[i] })
				}
				b.Mov(pick(), b.Call(fn, args...))
			case 7:
				r := b.Call(asm.FnProbeRead, StackAddr(slots[rng.Intn(2)]), operand(), Imm(8))
				b.ALU(asm.Add, pick(), R(r))
			case 8:
				b.Load(pick(), FP, slots[rng.Intn(2)], []asm.Size{asm.Byte, asm.Half, asm.Word, asm.DWord}[rng.Intn(4)])
			case 9:
				b.Store(FP, slots[rng.Intn(2)], operand(), asm.DWord)
			case 10:
				b.Load(pick(), b.Ctx(), 8*rng.Intn(ctxSize/8), asm.DWord)
			case 11:
				b.SignExtend(pick(), []int{8, 16, 32}[rng.Intn(3)])
			}
		}
	}
	jops := []asm.JumpOp{asm.JEq, asm.JNE, asm.JGT, asm.JGE, asm.JSGT, asm.JSGE, asm.JLT, asm.JLE, asm.JSLT, asm.JSLE, asm.JSet}
	for range nseg {
		switch rng.Intn(4) {
		case 0:
			ops(1 + rng.Intn(6))
		case 1: // diamond
			els, end := b.NewLabel("else"), b.NewLabel("end")
			b.Jump(jops[rng.Intn(len(jops))], pick(), operand(), els)
			ops(1 + rng.Intn(4))
			b.Ja(end)
			b.Label(els)
			ops(1 + rng.Intn(4))
			b.Label(end)
		case 2: // bounded loop
			top := b.NewLabel("loop")
			n := b.Const(int64(1 + rng.Intn(4)))
			b.Label(top)
			ops(1 + rng.Intn(4))
			b.ALU(asm.Sub, n, Imm(1))
			b.Jump(asm.JNE, n, Imm(0), top)
		case 3: // early exit
			skip := b.NewLabel("skip")
			b.Jump(jops[rng.Intn(len(jops))], pick(), operand(), skip)
			ops(rng.Intn(3))
			b.Exit(R(pick()))
			b.Label(skip)
		}
	}
	b.SetSource("result")
	acc := b.NewVReg()
	b.Load(acc, FP, slots[0], asm.DWord)
	for _, v := range pool {
		b.ALU(asm.Mul, acc, Imm(31))
		b.ALU(asm.Xor, acc, R(v))
	}
	b.Exit(R(acc))
	return b
}

// checkSame compiles b and runs both the IR and the emitted BPF.
func checkSame(t *testing.T, b *Builder) asm.Instructions {
	t.Helper()
	insns, err := b.Compile()
	if err != nil {
		t.Fatalf("compile: %v\n%s", err, b)
	}
	want, mi, err := runIR(b.insts)
	if err != nil {
		t.Fatalf("IR interpreter: %v\n%s", err, b)
	}
	got, mb, err := runBPF(insns)
	if err != nil {
		t.Fatalf("BPF interpreter: %v\nIR:\n%s\nBPF:\n%v", err, b, insns)
	}
	if got != want || mi.trace != mb.trace || mi.calls != mb.calls {
		t.Fatalf("IR returns %#x (%d calls, trace %#x), BPF returns %#x (%d calls, trace %#x)\nIR:\n%s\nBPF:\n%v",
			want, mi.calls, mi.trace, got, mb.calls, mb.trace, b, insns)
	}
	return insns
}

var randProgs = flag.Int("randprogs", 400, "number of random programs TestRandomProgramsAgree checks")

func TestRandomProgramsAgree(t *testing.T) {
	n := *randProgs
	if testing.Short() {
		n = 50
	}
	spilled := 0
	for seed := range n {
		rng := rand.New(rand.NewSource(int64(seed)))
		b := genProgram(rng, 1+rng.Intn(20), 1+rng.Intn(10), false)
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			insns := checkSame(t, b)
			if usesSpill(insns, b.frame) {
				spilled++
			}
			again, err := b.Compile()
			if err != nil || !bytes.Equal(marshal(t, insns), marshal(t, again)) {
				t.Fatalf("second compile differs (err %v)", err)
			}
		})
	}
	if spilled < n/10 {
		t.Errorf("only %d of %d random programs spilled: the generator does not stress the allocator", spilled, n)
	}
}

// usesSpill reports whether insns touch the stack below the fixed frame.
func usesSpill(insns asm.Instructions, fixed int) bool {
	for _, ins := range insns {
		cls := ins.OpCode.Class()
		if (cls == asm.LdXClass && ins.Src == asm.R10 || cls == asm.StXClass && ins.Dst == asm.R10) && int(ins.Offset) < -fixed {
			return true
		}
	}
	return false
}

func marshal(t *testing.T, insns asm.Instructions) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := slicesClone(insns).Marshal(&buf, nativeEndian); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func slicesClone(insns asm.Instructions) asm.Instructions {
	return append(asm.Instructions(nil), insns...)
}
