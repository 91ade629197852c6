package codegen

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/ringbuf"

	"github.com/gobpftrace/gobpftrace/internal/testenv"
	"github.com/gobpftrace/gobpftrace/internal/txtar"
)

// collectionSpec builds the cilium spec of a compiled program, as the
// runtime does.
func collectionSpec(p *Program) *ebpf.CollectionSpec {
	spec := &ebpf.CollectionSpec{Maps: map[string]*ebpf.MapSpec{}, Programs: map[string]*ebpf.ProgramSpec{}}
	for _, m := range p.Maps {
		spec.Maps[m.Name] = m.Spec.Copy()
	}
	for _, pr := range p.Probes {
		spec.Programs[pr.Name] = &ebpf.ProgramSpec{Name: pr.Name, Type: pr.Type, AttachType: pr.AttachType,
			Instructions: pr.Insns, License: pr.License}
	}
	return spec
}

// load loads every map and program of p through the verifier.
func load(t *testing.T, p *Program) *ebpf.Collection {
	t.Helper()
	coll, err := ebpf.NewCollectionWithOptions(collectionSpec(p), ebpf.CollectionOptions{})
	if err != nil {
		var ve *ebpf.VerifierError
		if errors.As(err, &ve) {
			t.Fatalf("verifier: %+v", ve)
		}
		t.Fatalf("load: %v", err)
	}
	t.Cleanup(func() { coll.Close() })
	return coll
}

// runBegin runs the begin program and returns the records it wrote.
func runBegin(t *testing.T, p *Program, coll *ebpf.Collection) [][]byte {
	t.Helper()
	rd, err := ringbuf.NewReader(coll.Maps[p.RingBuf])
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	for _, pr := range p.Probes {
		if pr.Provider == "begin" {
			if _, err := coll.Programs[pr.Name].Run(&ebpf.RunOptions{}); err != nil {
				t.Fatalf("run %s: %v", pr.Name, err)
			}
		}
	}
	var recs [][]byte
	rd.SetDeadline(time.Now().Add(50 * time.Millisecond))
	for {
		r, err := rd.Read()
		if err != nil {
			break
		}
		recs = append(recs, r.RawSample)
	}
	return recs
}

// Every golden program passes the verifier.
func TestKernelGoldenPrograms(t *testing.T) {
	testenv.RequireBPF(t)
	forEachGolden(t, func(t *testing.T, _ string, _ *txtar.Archive, src string) {
		load(t, compileSrc(t, src))
	})
}

func u64(b []byte, off int) uint64 { return binary.LittleEndian.Uint64(b[off:]) }

// Records carry the event id and each argument at its offset, with C
// semantics and bpftrace's unsigned division.
func TestKernelArithmeticRecord(t *testing.T) {
	testenv.RequireBPF(t)
	p := compileSrc(t, `BEGIN { $a = -7; printf("%d %d %lld\n", $a / 2, $a % 2, (int64)(int8)300); }`)
	recs := runBegin(t, p, load(t, p))
	if len(recs) != 1 {
		t.Fatalf("%d records, want 1", len(recs))
	}
	ev := p.Events[0]
	r := recs[0]
	if len(r) < ev.Size || u64(r, 0) != 0 {
		t.Fatalf("record %x, want id 0 and %d bytes", r, ev.Size)
	}
	a7 := uint64(1<<64 - 7)
	want := []uint64{a7 / 2, a7 % 2, 44}
	for i, w := range want {
		if got := u64(r, ev.Args[i].Offset); got != w {
			t.Errorf("arg %d = %#x, want %#x", i, got, w)
		}
	}
	// printf("%d") shows the low 32 bits: -4 and 1 as bpftrace prints.
	if int32(u64(r, ev.Args[0].Offset)) != -4 || int32(u64(r, ev.Args[1].Offset)) != 1 {
		t.Errorf("low 32 bits: %d %d, want -4 1", int32(u64(r, 8)), int32(u64(r, 16)))
	}
}

// count() and sum() keep per-CPU u64 values; reads, ++ and string keys
// work on plain hashes.
func TestKernelMaps(t *testing.T) {
	testenv.RequireBPF(t)
	p := compileSrc(t, `BEGIN { @c[1] = count(); @c[1] = count(); @s = sum(5); @s = sum(-2);
		@x[comm, 7] = 3; @x[comm, 7]++; @gone[1] = 1; delete(@gone[1]);
		printf("%d\n", @x[comm, 7]); }`)
	coll := load(t, p)
	recs := runBegin(t, p, coll)
	sumCPUs := func(m string, key any) uint64 {
		var vals []uint64
		if err := coll.Maps[m].Lookup(key, &vals); err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		var n uint64
		for _, v := range vals {
			n += v
		}
		return n
	}
	if n := sumCPUs("AT_c", uint64(1)); n != 2 {
		t.Errorf("@c[1] = %d, want 2", n)
	}
	if n := sumCPUs("AT_s", uint64(0)); n != 3 {
		t.Errorf("@s = %d, want 3", n)
	}
	var v uint64
	if err := coll.Maps["AT_gone"].Lookup(uint64(1), &v); err == nil {
		t.Errorf("@gone[1] still present")
	}
	if len(recs) != 1 {
		t.Fatalf("%d records, want 1", len(recs))
	}
	ev := p.Events[0]
	if x := u64(recs[0], ev.Args[0].Offset); x != 4 {
		t.Errorf("@x[comm, 7] = %d, want 4", x)
	}
}

// BEGIN runs in the caller's task: pid and comm are the test's own.
func TestKernelBuiltinsRecord(t *testing.T) {
	testenv.RequireBPF(t)
	p := compileSrc(t, `BEGIN { printf("%d %s %d %s %s\n", pid, comm, comm == "nosuchcomm", $1 == 1 ? "a" : "bb", str($2)); }`)
	recs := runBegin(t, p, load(t, p))
	if len(recs) != 1 {
		t.Fatalf("%d records, want 1", len(recs))
	}
	r, ev := recs[0], p.Events[0]
	if got := u64(r, ev.Args[0].Offset); got != uint64(os.Getpid()) {
		t.Errorf("pid = %d, want %d", got, os.Getpid())
	}
	comm, _ := os.ReadFile("/proc/self/comm")
	if got := cstring(r[ev.Args[1].Offset:]); got != strings.TrimSpace(string(comm)) {
		t.Errorf("comm = %q, want %q", got, comm)
	}
	if got := u64(r, ev.Args[2].Offset); got != 0 {
		t.Errorf("comm == \"nosuchcomm\" = %d", got)
	}
	if got := cstring(r[ev.Args[3].Offset:]); got != "bb" {
		t.Errorf("ternary = %q, want bb", got)
	}
}

func cstring(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return string(b[:i])
	}
	return string(b)
}

// The arith_casts golden script computes what C computes on 64 bits.
func TestKernelArithCasts(t *testing.T) {
	testenv.RequireBPF(t)
	a, err := txtar.ParseFile("testdata/arith_casts.txtar")
	if err != nil {
		t.Fatal(err)
	}
	src, _ := a.Get("script.bt")
	p := compileSrc(t, string(src))
	recs := runBegin(t, p, load(t, p))
	m7 := uint64(1<<64 - 7)
	want := [][]uint64{
		{m7 / 2, m7 % 2, uint64(1<<64 - 22), uint64(uint32(m7)) >> 4, 44},
		{6, 7, 0, uint64((m7 & 0xff) | (1 ^ (2 << 3)))},
		{uint64(1<<64 - 1), 0x2345},
	}
	if len(recs) != len(want) {
		t.Fatalf("%d records, want %d", len(recs), len(want))
	}
	for i, r := range recs {
		ev := p.Events[u64(r, 0)]
		for j, w := range want[i] {
			if got := u64(r, ev.Args[j].Offset); got != w {
				t.Errorf("record %d arg %d = %#x, want %#x", i, j, got, w)
			}
		}
	}
}
