package runtime

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// counterSpec is a collection with one program "prog" of the given type
// that adds 1 to the u64 at counts[0] each time it runs.
func counterSpec(pt ebpf.ProgramType, at ebpf.AttachType) *ebpf.CollectionSpec {
	return &ebpf.CollectionSpec{
		Maps: map[string]*ebpf.MapSpec{
			"counts": {Type: ebpf.Array, KeySize: 4, ValueSize: 8, MaxEntries: 1},
		},
		Programs: map[string]*ebpf.ProgramSpec{
			"prog": {Type: pt, AttachType: at, License: "GPL", Instructions: counterInsns()},
		},
	}
}

func counterInsns() asm.Instructions {
	return asm.Instructions{
		asm.StoreImm(asm.RFP, -4, 0, asm.Word),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, -4),
		asm.LoadMapPtr(asm.R1, 0).WithReference("counts"),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, "out"),
		asm.Mov.Imm(asm.R1, 1),
		asm.StoreXAdd(asm.R0, asm.R1, asm.DWord),
		asm.Mov.Imm(asm.R0, 0).WithSymbol("out"),
		asm.Return(),
	}
}

// count reads counts[0].
func count(t testing.TB, s *Objects) uint64 {
	t.Helper()
	var v uint64
	if err := s.Map("counts").Lookup(uint32(0), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// emitSpec is a collection with a ring buffer "events" of ringSize bytes, a
// per-CPU lost counter "lost", and a program "emit" of type pt that writes
// n 16-byte records {id 7, seq i} per run (a bpf_loop: the verifier cannot
// walk a thousand-iteration loop with branches). A record is written with
// BPF_RB_NO_WAKEUP unless the ring holds more than threshold bytes (then
// BPF_RB_FORCE_WAKEUP); threshold < 0 means flags 0 (the kernel's adaptive
// wakeup). Failed writes increment lost[0] on the current CPU.
func emitSpec(pt ebpf.ProgramType, ringSize uint32, n int32, threshold int32) *ebpf.CollectionSpec {
	insns := asm.Instructions{
		btf.WithFuncMetadata(asm.Mov.Imm(asm.R1, n), &btf.Func{Name: "emit", Type: proto("ctx"), Linkage: btf.GlobalFunc}),
		asm.Instruction{OpCode: asm.LoadImmOp(asm.DWord), Dst: asm.R2, Src: asm.PseudoFunc, Constant: -1}.WithReference("emit_one"),
		asm.Mov.Imm(asm.R3, 0),
		asm.Mov.Imm(asm.R4, 0),
		asm.FnLoop.Call(),
		asm.Mov.Imm(asm.R0, 0),
		asm.Return(),
		// emit_one(u32 index, void *ctx): write record {7, index}.
		btf.WithFuncMetadata(asm.Mov.Reg(asm.R6, asm.R1), &btf.Func{Name: "emit_one", Type: proto("index", "ctx"), Linkage: btf.StaticFunc}).WithSymbol("emit_one"),
		asm.Mov.Imm(asm.R1, 7),
		asm.StoreMem(asm.RFP, -16, asm.R1, asm.DWord),
		asm.StoreMem(asm.RFP, -8, asm.R6, asm.DWord),
	}
	if threshold < 0 {
		insns = append(insns, asm.Mov.Imm(asm.R4, 0))
	} else {
		insns = append(insns,
			asm.LoadMapPtr(asm.R1, 0).WithReference("events"),
			asm.Mov.Imm(asm.R2, RBAvailData),
			asm.FnRingbufQuery.Call(),
			asm.Mov.Imm(asm.R4, RBNoWakeup),
			asm.JLE.Imm(asm.R0, threshold, "write"),
			asm.Mov.Imm(asm.R4, RBForceWakeup),
		)
	}
	insns = append(insns,
		asm.LoadMapPtr(asm.R1, 0).WithReference("events").WithSymbol("write"),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, -16),
		asm.Mov.Imm(asm.R3, 16),
		asm.FnRingbufOutput.Call(),
		asm.JSGE.Imm(asm.R0, 0, "next"),
		asm.StoreImm(asm.RFP, -20, 0, asm.Word),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, -20),
		asm.LoadMapPtr(asm.R1, 0).WithReference("lost"),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, "next"),
		asm.LoadMem(asm.R1, asm.R0, 0, asm.DWord),
		asm.Add.Imm(asm.R1, 1),
		asm.StoreMem(asm.R0, 0, asm.R1, asm.DWord),
		asm.Mov.Imm(asm.R0, 0).WithSymbol("next"), // 0: continue the loop
		asm.Return(),
	)
	return &ebpf.CollectionSpec{
		Maps: map[string]*ebpf.MapSpec{
			"events": {Type: ebpf.RingBuf, MaxEntries: ringSize},
			"lost":   {Type: ebpf.PerCPUArray, KeySize: 4, ValueSize: 8, MaxEntries: 1},
		},
		Programs: map[string]*ebpf.ProgramSpec{
			"emit": {Type: pt, License: "GPL", Instructions: insns},
		},
	}
}

// proto is the BTF prototype int f(u64 a, ...): a function needs BTF func
// info when the program has more than one (bpf_loop callbacks).
func proto(params ...string) *btf.FuncProto {
	u64 := &btf.Int{Name: "u64", Size: 8}
	fp := &btf.FuncProto{Return: &btf.Int{Name: "int", Size: 4, Encoding: btf.Signed}}
	for _, p := range params {
		fp.Params = append(fp.Params, btf.FuncParam{Name: p, Type: u64})
	}
	return fp
}

// cTarget is the uprobe target: it waits for one byte on stdin, then calls
// target() and other() argv[1] times each, then exits.
const cTarget = `#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#define F(n) __attribute__((noinline)) int f##n(int x) { __asm__ volatile(""); return x + n; }
F(0) F(1) F(2) F(3) F(4) F(5) F(6) F(7) F(8) F(9)
__attribute__((noinline)) int target(int x) { __asm__ volatile(""); return x * 3; }
__attribute__((noinline)) int other(int x) { __asm__ volatile(""); return x + 1; }
int main(int argc, char **argv) {
	int n = argc > 1 ? atoi(argv[1]) : 1;
	char c;
	if (read(0, &c, 1) != 1) return 1;
	volatile int s = 0;
	for (int i = 0; i < n; i++) {
		s += target(i); s += other(i);
		s += f0(i) + f1(i) + f2(i) + f3(i) + f4(i) + f5(i) + f6(i) + f7(i) + f8(i) + f9(i);
	}
	printf("%d\n", s);
	return 0;
}
`

var cTargetPath string

func TestMain(m *testing.M) {
	code := m.Run()
	if cTargetPath != "" {
		os.RemoveAll(filepath.Dir(cTargetPath))
	}
	os.Exit(code)
}

// buildC compiles cTarget once per test binary run.
func buildC(t testing.TB) string {
	t.Helper()
	if cTargetPath != "" {
		return cTargetPath
	}
	dir, err := os.MkdirTemp("", "gbt-runtime-target")
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, "target.c")
	if err := os.WriteFile(src, []byte(cTarget), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "target")
	out, err := exec.Command("cc", "-O0", "-fno-omit-frame-pointer", "-fcf-protection=none", "-o", bin, src).CombinedOutput()
	if err != nil {
		t.Fatalf("cc: %v\n%s", err, out)
	}
	cTargetPath = bin
	return bin
}

// started is a target process waiting for its go signal.
type started struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
}

func startTarget(t testing.TB, bin string, n int) *started {
	t.Helper()
	cmd := exec.Command(bin, strconv.Itoa(n))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return &started{cmd, stdin}
}

// run releases the target and waits for it to exit.
func (s *started) run(t testing.TB) {
	t.Helper()
	s.stdin.Write([]byte{'g'})
	s.stdin.Close()
	if err := s.cmd.Wait(); err != nil {
		t.Fatalf("target: %v", err)
	}
}

// noLeaks snapshots our loaded programs and maps now and, when the test
// ends, fails if any new one is still loaded. Link and program teardown is
// partly asynchronous in the kernel, so it retries for a second.
func noLeaks(t *testing.T) {
	t.Helper()
	before, err := LoadedObjects(NamePrefix)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		var extra []string
		for range 100 {
			after, err := LoadedObjects(NamePrefix)
			if err != nil {
				t.Fatal(err)
			}
			extra = extra[:0]
			for _, o := range after {
				if !slices.Contains(before, o) {
					extra = append(extra, o)
				}
			}
			if len(extra) == 0 {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Errorf("still loaded after the test: %v", extra)
	})
}

func mustLoad(t *testing.T, spec *ebpf.CollectionSpec) *Objects {
	t.Helper()
	s, err := LoadSpec(spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
