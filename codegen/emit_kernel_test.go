package codegen

import (
	"encoding/binary"
	"errors"
	"math/rand"
	"os"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/gobpftrace/gobpftrace/internal/testenv"
)

// loadAndRun loads insns into the verifier as a program of type typ and
// runs it once with BPF_PROG_RUN; ctx, if not nil, is a raw tracepoint's
// arguments.
func loadAndRun(t *testing.T, typ ebpf.ProgramType, insns asm.Instructions, ctx ...uint64) uint32 {
	t.Helper()
	spec := &ebpf.ProgramSpec{Type: typ, Instructions: insns, License: "GPL"}
	prog, err := ebpf.NewProgram(spec)
	if err != nil {
		_, err = ebpf.NewProgramWithOptions(spec, ebpf.ProgramOptions{LogLevel: ebpf.LogLevelInstruction | ebpf.LogLevelBranch})
		var ve *ebpf.VerifierError
		if errors.As(err, &ve) {
			t.Fatalf("verifier: %+v\nprogram:\n%v", ve, insns)
		}
		t.Fatalf("load: %v\nprogram:\n%v", err, insns)
	}
	defer prog.Close()
	opts := &ebpf.RunOptions{}
	if typ == ebpf.SocketFilter {
		opts.Data = make([]byte, 64)
	}
	if ctx != nil {
		opts.Context = ctx
	}
	ret, err := prog.Run(opts)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return ret
}

// Random programs (ALU, branches, loops, stack, helper calls, spills) pass
// the verifier and return what the IR interpreter computes.
func TestKernelRandomPrograms(t *testing.T) {
	testenv.RequireBPF(t)
	spilled := 0
	for seed := range 60 {
		rng := rand.New(rand.NewSource(int64(1000 + seed)))
		b := genProgram(rng, 1+rng.Intn(20), 1+rng.Intn(8), true)
		insns := checkSame(t, b)
		if usesSpill(insns, b.frame) {
			spilled++
		}
		want, _, _ := runIR(b.insts)
		if got := loadAndRun(t, ebpf.SocketFilter, insns); got != uint32(want) {
			t.Fatalf("seed %d: kernel returns %#x, want %#x\nIR:\n%s\nBPF:\n%v", seed, got, uint32(want), b, insns)
		}
	}
	if spilled == 0 {
		t.Error("no random kernel program spilled")
	}
}

// Thirty live values around bpf_ktime_get_ns calls: spills of values and
// of the context pointer, which is read after the calls (skb->len).
func TestKernelHelperAndSpills(t *testing.T) {
	testenv.RequireBPF(t)
	b := NewBuilder()
	t0 := b.Call(asm.FnKtimeGetNs)
	var vs []VReg
	for i := range 30 {
		vs = append(vs, b.Const(int64(i*i+1)))
		if i%10 == 9 {
			b.Call(asm.FnKtimeGetNs)
		}
	}
	t1 := b.Call(asm.FnKtimeGetNs)
	acc := b.Const(0)
	for _, v := range vs {
		b.ALU(asm.Add, acc, R(v))
	}
	b.Jump(asm.JLT, t1, R(t0), "backwards") // time never runs backwards
	n := b.NewVReg()
	b.Load(n, b.Ctx(), 0, asm.Word) // __sk_buff.len
	b.ALU(asm.Add, n, Imm(1))
	b.ALU(asm.Mul, acc, R(n))
	b.Exit(R(acc))
	b.Label("backwards")
	b.Exit(Imm(-1))
	insns, err := b.Compile()
	if err != nil {
		t.Fatal(err)
	}
	if !usesSpill(insns, 0) {
		t.Fatalf("no spill:\n%v", insns)
	}
	// skb->len as the kernel's test run sets it, by a program without calls.
	lb := NewBuilder()
	l := lb.NewVReg()
	lb.Load(l, lb.Ctx(), 0, asm.Word)
	lb.Exit(R(l))
	linsns, err := lb.Compile()
	if err != nil {
		t.Fatal(err)
	}
	skbLen := loadAndRun(t, ebpf.SocketFilter, linsns)
	if skbLen == 0 {
		t.Fatal("skb->len is 0: the test would not see a lost context pointer")
	}
	want := uint32(0)
	for i := range 30 {
		want += uint32(i*i + 1)
	}
	want *= skbLen + 1
	if got := loadAndRun(t, ebpf.SocketFilter, insns); got != want {
		t.Fatalf("got %d, want %d (skb->len %d)\n%v", got, want, skbLen, insns)
	}
}

// The golden program, with its map: the verifier accepts the map-pointer
// and stack-address arguments, and the update lands in the map.
func TestKernelGoldenProgram(t *testing.T) {
	testenv.RequireBPF(t)
	insns, err := goldenProgram().Compile()
	if err != nil {
		t.Fatal(err)
	}
	m, err := ebpf.NewMap(&ebpf.MapSpec{Name: "AT_start", Type: ebpf.Hash, KeySize: 8, ValueSize: 8, MaxEntries: 16})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := insns.AssociateMap("AT_start", m); err != nil {
		t.Fatal(err)
	}
	if got := loadAndRun(t, ebpf.RawTracepoint, insns, 200); got != 1 {
		t.Errorf("returned %d, want 1 (args[0] is 200)", got)
	}
	var key [8]byte
	binary.LittleEndian.PutUint64(key[:], uint64(os.Getpid()))
	var ns uint64
	if err := m.Lookup(key[:], &ns); err != nil || ns == 0 {
		t.Errorf("map entry for tgid %d: %d, %v", os.Getpid(), ns, err)
	}
}

// A helper whose arguments sit in r1-r5 in rotated order before the call:
// bpf_map_update_elem(map, key, value, flags) with each argument produced
// by another helper call's result register juggling.
func TestKernelPermutedArguments(t *testing.T) {
	testenv.RequireBPF(t)
	m, err := ebpf.NewMap(&ebpf.MapSpec{Type: ebpf.Array, KeySize: 4, ValueSize: 8, MaxEntries: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	for rot := range 4 {
		b := NewBuilder()
		slot, val := b.AllocStack(8, 8), b.AllocStack(8, 8)
		b.Store(FP, slot, Imm(int64(rot)), asm.Word)
		b.Store(FP, val, Imm(int64(100+rot)), asm.DWord)
		// Define the arguments in an order that puts them in the wrong
		// registers, then pass them in rotated order.
		regs := make([]VReg, 4)
		for i := range 4 {
			k := (i + rot) % 4
			regs[k] = b.NewVReg()
			switch k {
			case 0:
				b.LoadMapPtr(regs[k], "arr")
			case 1:
				b.StackAddr(regs[k], slot)
			case 2:
				b.StackAddr(regs[k], val)
			case 3:
				b.MovImm(regs[k], 0)
			}
		}
		r := b.Call(asm.FnMapUpdateElem, R(regs[0]), R(regs[1]), R(regs[2]), R(regs[3]))
		b.Exit(R(r))
		insns, err := b.Compile()
		if err != nil {
			t.Fatal(err)
		}
		if err := insns.AssociateMap("arr", m); err != nil {
			t.Fatal(err)
		}
		if got := loadAndRun(t, ebpf.SocketFilter, insns); got != 0 {
			t.Fatalf("rot %d: update returned %d", rot, int32(got))
		}
		var v uint64
		if err := m.Lookup(uint32(rot), &v); err != nil || v != uint64(100+rot) {
			t.Fatalf("rot %d: value %d, %v", rot, v, err)
		}
	}
}
