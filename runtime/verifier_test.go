package runtime

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"

	"github.com/gobpftrace/gobpftrace/internal/testenv"
)

// TestVerifierErrorIndex: the failing instruction comes after a 64-bit
// immediate load (two slots), so the log's offset (3) and the spec's index
// (2) differ; the source annotation is taken from the nearest annotated
// instruction above.
func TestVerifierErrorIndex(t *testing.T) {
	testenv.RequireBPF(t)
	noLeaks(t)
	spec := &ebpf.CollectionSpec{Programs: map[string]*ebpf.ProgramSpec{
		"bad": {Type: ebpf.RawTracepoint, License: "GPL", Instructions: asm.Instructions{
			asm.LoadImm(asm.R3, 1<<40, asm.DWord).WithSource(asm.Comment("script.bt:1 $x = 1 << 40")),
			asm.Mov.Imm(asm.R0, 1).WithSource(asm.Comment("script.bt:2 @y = $z")),
			asm.Mov.Reg(asm.R0, asm.R2),
			asm.Return(),
		}},
	}}
	_, err := LoadSpec(spec, nil)
	var ve *VerifierError
	if !errors.As(err, &ve) {
		t.Fatalf("Load = %v, want a *VerifierError", err)
	}
	if ve.Program != "bad" || ve.Offset != 3 || ve.Index != 2 {
		t.Errorf("program %q offset %d index %d, want bad 3 2", ve.Program, ve.Offset, ve.Index)
	}
	if ve.Source == nil || !strings.Contains(ve.Source.String(), "script.bt:2") {
		t.Errorf("source %v, want script.bt:2", ve.Source)
	}
	if ve.Reason != "R2 !read_ok" {
		t.Errorf("reason %q, want R2 !read_ok", ve.Reason)
	}
	if ve.Insn.OpCode != asm.Mov.Reg(asm.R0, asm.R2).OpCode || ve.Insn.Src != asm.R2 {
		t.Errorf("insn %v", ve.Insn)
	}
	var inner *ebpf.VerifierError
	if !errors.As(err, &inner) {
		t.Error("the cilium VerifierError is not wrapped")
	}
	if len(ve.Log) == 0 {
		t.Error("no log")
	}
	want := "program bad rejected by the verifier at instruction 2 (script.bt:2 @y = $z): R2 !read_ok"
	if ve.Error() != want {
		t.Errorf("Error() = %q\nwant      %q", ve.Error(), want)
	}
}

func TestFailingOffset(t *testing.T) {
	for _, c := range []struct {
		log  []string
		want int
	}{
		{[]string{"0: R1=ctx() R10=fp0", "0: (bf) r0 = r2", "R2 !read_ok", "processed 1 insns"}, 0},
		{[]string{"0: (b7) r0 = 0", "1: (85) call bpf_map_lookup_elem#1", "12: (07) r2 += -4", "R2 bad"}, 12},
		{[]string{"last insn is not an exit or jmp", "processed 0 insns"}, -1},
		{nil, -1},
	} {
		if got := FailingOffset(c.log); got != c.want {
			t.Errorf("FailingOffset(%q) = %d, want %d", c.log, got, c.want)
		}
	}
	insns := asm.Instructions{asm.LoadImm(asm.R1, 1, asm.DWord), asm.Mov.Imm(asm.R0, 0), asm.Return()}
	for off, want := range map[int]int{0: 0, 1: -1, 2: 1, 3: 2, 4: -1} {
		if got := IndexAtOffset(insns, off); got != want {
			t.Errorf("IndexAtOffset(%d) = %d, want %d", off, got, want)
		}
	}
}

// TestLoadedObjects: the leak check sees a loaded session and stops seeing
// it after Close (so noLeaks can fail).
func TestLoadedObjects(t *testing.T) {
	testenv.RequireBPF(t)
	s, err := LoadSpec(counterSpec(ebpf.RawTracepoint, ebpf.AttachNone), nil)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := LoadedObjects(NamePrefix)
	if err != nil {
		t.Fatal(err)
	}
	has := func(objs []string, kind, name string) bool {
		return slices.ContainsFunc(objs, func(o string) bool {
			return strings.HasPrefix(o, kind+":") && strings.HasSuffix(o, ":"+name)
		})
	}
	if !has(objs, "prog", "gbt_prog") || !has(objs, "map", "gbt_counts") {
		t.Fatalf("LoadedObjects = %v, want gbt_prog and gbt_counts", objs)
	}
	s.Close()
	for range 100 {
		objs, _ = LoadedObjects(NamePrefix)
		if !has(objs, "prog", "gbt_prog") && !has(objs, "map", "gbt_counts") {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("still loaded after Close: %v", objs)
}
