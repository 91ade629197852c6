package codegen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cilium/ebpf/asm"
	"github.com/gobpftrace/gobpftrace/internal/txtar"
)

// runMoves applies moves to a register file where register i holds 100+i.
func runMoves(moves []regMove) [11]uint64 {
	var regs [11]uint64
	for i := range regs {
		regs[i] = uint64(100 + i)
	}
	for _, m := range moves {
		regs[m.dst] = regs[m.src]
	}
	return regs
}

func permutations(xs []asm.Register, f func([]asm.Register)) {
	var rec func(int)
	rec = func(k int) {
		if k == len(xs) {
			f(xs)
			return
		}
		for i := k; i < len(xs); i++ {
			xs[k], xs[i] = xs[i], xs[k]
			rec(k + 1)
			xs[k], xs[i] = xs[i], xs[k]
		}
	}
	rec(0)
}

// Every assignment of sources to r1-r5 drawn from a pool of candidate
// registers (permutations with cycles, sources in r0 and r6-r9, repeated
// sources) must leave each ri holding its source's old value, use r0 only
// as scratch when a cycle needs it, and touch nothing else.
func TestParallelMove(t *testing.T) {
	pools := [][]asm.Register{
		{asm.R1, asm.R2, asm.R3, asm.R4, asm.R5},
		{asm.R0, asm.R2, asm.R3, asm.R4, asm.R5, asm.R6},
		{asm.R5, asm.R4, asm.R9, asm.R1, asm.R0, asm.R7},
	}
	cases := 0
	for _, pool := range pools {
		permutations(pool, func(p []asm.Register) {
			for dup := range 2 {
				var moves []regMove
				for i := range 5 {
					src := p[i]
					if dup == 1 && i == 4 {
						src = p[0] // two arguments from one register
					}
					moves = append(moves, regMove{dst: asm.R1 + asm.Register(i), src: src})
				}
				seq := parallelMove(moves, asm.R0)
				got := runMoves(seq)
				before := runMoves(nil)
				for _, m := range moves {
					if got[m.dst] != before[m.src] {
						t.Fatalf("moves %v: sequence %v leaves %v = %d, want %d", moves, seq, m.dst, got[m.dst], before[m.src])
					}
				}
				for r := asm.R6; r <= asm.R10; r++ {
					if got[r] != before[r] {
						t.Fatalf("moves %v clobber %v", moves, r)
					}
				}
				cases++
			}
		})
	}
	if cases != 2*(120+720+720) {
		t.Fatalf("only %d cases", cases)
	}
	// A pure swap needs exactly three moves through the scratch register.
	seq := parallelMove([]regMove{{asm.R1, asm.R2}, {asm.R2, asm.R1}}, asm.R0)
	if fmt.Sprint(seq) != "[{0 1} {1 2} {2 0}]" {
		t.Errorf("swap: %v", seq)
	}
	if seq := parallelMove([]regMove{{asm.R1, asm.R1}, {asm.R3, asm.R2}}, asm.R0); len(seq) != 1 {
		t.Errorf("identity moves kept: %v", seq)
	}
}

// Helper arguments arriving in r1-r5 in a rotated order go through the
// parallel move when the program runs.
func TestCallWithPermutedArguments(t *testing.T) {
	for rot := range 5 {
		b := NewBuilder()
		r := b.Call(asm.FnTracePrintk, Imm(1), Imm(2), Imm(3), Imm(4), Imm(5))
		// vs[i] is defined by its own call in ri, then passed as argument i+rot.
		var vs []VReg
		for i := range 5 {
			vs = append(vs, b.NewVReg())
			b.Mov(vs[i], r)
			b.ALU(asm.Add, vs[i], Imm(int64(i)))
		}
		args := make([]Operand, 5)
		for i := range 5 {
			args[(i+rot)%5] = R(vs[i])
		}
		b.Exit(R(b.Call(asm.FnTracePrintk, args...)))
		checkSame(t, b)
	}
}

func TestLabels(t *testing.T) {
	b := NewBuilder()
	x := b.Call(asm.FnGetPrandomU32)
	b.Jump(asm.JEq, x, Imm(0), "a")
	b.Jump(asm.JEq, x, Imm(1), "b")
	b.Jump(asm.JEq, x, Imm(2), "end")
	b.Mov(x, x) // elided: "a" and "b" land on the same instruction
	b.Label("a")
	b.Mov(x, x)
	b.Label("b")
	b.ALU(asm.Add, x, Imm(1))
	b.Label("end") // falls off the end: returns 0
	insns := checkSame(t, b)
	listing := fmt.Sprint(insns)
	for _, want := range []string{"a:", "end:", "<a>", "<end>"} {
		if !strings.Contains(listing, want) {
			t.Errorf("listing lacks %q:\n%s", want, listing)
		}
	}
	if strings.Contains(listing, "<b>") || strings.Contains(listing, "b:") {
		t.Errorf("label b not merged into a:\n%s", listing)
	}
	if err := slicesClone(insns).Marshal(&strings.Builder{}, nativeEndian); err != nil {
		t.Errorf("marshal: %v", err)
	}
}

func TestImmediates(t *testing.T) {
	b := NewBuilder()
	x := b.Const(0x1234_5678_9abc_def0) // LoadImm
	y := b.Const(-5)
	b.ALU(asm.Add, x, Imm(0x1_0000_0000)) // wide ALU immediate goes through a register
	b.ALU32(asm.Add, y, Imm(0xffff_ffff)) // 32-bit immediate written unsigned
	b.Jump(asm.JEq, x, Imm(0x1234_5679_9abc_def0), "ok")
	b.Exit(Imm(0))
	b.Label("ok")
	b.ALU(asm.Xor, x, R(y))
	b.Exit(R(x))
	insns := checkSame(t, b)
	got, _, _ := runBPF(insns)
	if want := uint64(0x1234_5679_9abc_def0) ^ uint64(uint32(0xffff_fffa)); got != want {
		t.Errorf("got %#x, want %#x", got, want)
	}
}

func TestExtensions(t *testing.T) {
	b := NewBuilder()
	s, z := b.Const(0x80f0), b.Const(-1)
	b.SignExtend(s, 8)  // 0xf0 -> -16
	b.ZeroExtend(z, 32) // 0xffffffff
	b.ALU(asm.Add, s, R(z))
	b.Exit(R(s))
	got, _, err := runBPF(checkSame(t, b))
	if want := uint64(0xffff_ffff - 16); got != want || err != nil {
		t.Errorf("got %#x (%v), want %#x", got, err, want)
	}
}

func TestBuilderErrors(t *testing.T) {
	for _, c := range []struct {
		want  string
		build func(b *Builder)
	}{
		{"shift by 64", func(b *Builder) { b.ALU(asm.LSh, b.Const(1), Imm(64)) }},
		{"shift by 32", func(b *Builder) { b.ALU32(asm.RSh, b.Const(1), Imm(32)) }},
		{"division by constant zero", func(b *Builder) { b.ALU(asm.Mod, b.Const(1), Imm(0)) }},
		{"at most 5", func(b *Builder) { b.Call(asm.FnTracePrintk, Imm(1), Imm(2), Imm(3), Imm(4), Imm(5), Imm(6)) }},
		{"defined twice", func(b *Builder) { b.Label("x"); b.Label("x") }},
		{"undefined label", func(b *Builder) { b.Ja("nowhere") }},
		{"512-byte BPF limit", func(b *Builder) { b.AllocStack(400, 8); b.AllocStack(200, 8) }},
		{"outside the frame", func(b *Builder) { b.Load(b.Const(0), FP, 0, asm.DWord) }},
		{"invalid virtual register", func(b *Builder) { b.Exit(R(42)) }},
		{"unsupported ALU", func(b *Builder) { b.ALU(asm.Swap, b.Const(1), Imm(1)) }},
	} {
		b := NewBuilder()
		c.build(b)
		b.Exit(Imm(0))
		if _, err := b.Compile(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("want error with %q, got %v", c.want, err)
		}
	}
}

// goldenProgram is a probe body shaped like `@start[tid] = nsecs`.
func goldenProgram() *Builder {
	b := NewBuilder()
	key, val := b.AllocStack(8, 8), b.AllocStack(8, 8)
	b.SetSource("@start[tid] = nsecs;")
	tid := b.Call(asm.FnGetCurrentPidTgid)
	b.ALU(asm.RSh, tid, Imm(32))
	b.Store(FP, key, R(tid), asm.DWord)
	b.Store(FP, val, R(b.Call(asm.FnKtimeGetNs)), asm.DWord)
	m := b.NewVReg()
	b.LoadMapPtr(m, "AT_start")
	b.Call(asm.FnMapUpdateElem, R(m), StackAddr(key), StackAddr(val), Imm(0))
	b.SetSource("if (tid > 100) { return 1 }")
	pid := b.NewVReg()
	b.Load(pid, b.Ctx(), 0, asm.DWord) // args[0] of a raw tracepoint
	b.Jump(asm.JLE, pid, Imm(100), "out")
	b.Exit(Imm(1))
	b.Label("out")
	b.SetSource("")
	b.Exit(Imm(0))
	return b
}

func TestGoldenListing(t *testing.T) {
	b := goldenProgram()
	insns, err := b.Compile()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "ir_listing.txtar")
	ir, listing := []byte(b.String()), []byte(fmt.Sprintf("%v", insns))
	if *txtar.Update {
		a := &txtar.Archive{Comment: []byte("IR of a small probe body and the %v listing of its emitted instructions.\nRegenerate with: go test ./codegen -update\n")}
		a.Set("ir", ir)
		a.Set("listing", listing)
		if err := os.WriteFile(path, txtar.Format(a), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	a, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string][]byte{"ir": ir, "listing": listing} {
		want, _ := a.Get(name)
		if string(want) != string(got) {
			t.Errorf("%s differs from %s (go test ./codegen -update):\ngot:\n%s\nwant:\n%s", name, path, got, want)
		}
	}
}

func TestSourceAt(t *testing.T) {
	b := NewBuilder()
	b.SetSource("line one")
	x := b.Const(0x1_0000_0000) // a 64-bit load: two raw slots
	b.SetSource("line two")
	b.ALU(asm.Add, x, Imm(2))
	b.Exit(R(x))
	insns, err := b.Compile()
	if err != nil {
		t.Fatal(err)
	}
	for off, want := range []string{"line one", "line one", "line two", "line two", "line two"} {
		if got := SourceAt(insns, off); got != want {
			t.Errorf("SourceAt(%d) = %q, want %q\n%v", off, got, want, insns)
		}
	}
}
