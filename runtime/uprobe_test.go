package runtime

import (
	"os"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"

	"github.com/gobpftrace/gobpftrace/internal/testenv"
	"github.com/gobpftrace/gobpftrace/symtab"
)

// loadModes are the two ways a uprobe program can be loaded: for
// uprobe_multi links (one link for all targets) and plain, which makes
// attachUprobe fall back to one perf-event uprobe per target.
var loadModes = []struct {
	name string
	at   ebpf.AttachType
}{
	{"multi", ebpf.AttachTraceUprobeMulti},
	{"single", ebpf.AttachNone},
}

func TestUprobe(t *testing.T) {
	testenv.RequireBPF(t)
	bin := buildC(t)
	tab, err := symtab.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	sym, _ := tab.Lookup("target")
	const n = 50
	for _, mode := range loadModes {
		for _, c := range []struct {
			name string
			p    Probe
			want int
		}{
			{"symbol", Probe{Provider: Uprobe, Symbols: []string{"target"}}, n},
			{"uretprobe", Probe{Provider: Uretprobe, Symbols: []string{"target"}}, n},
			{"offset", Probe{Provider: Uprobe, Symbols: []string{"target"}, Offset: 1}, n},
			{"address", Probe{Provider: Uprobe, Address: sym.Addr}, n},
			{"two", Probe{Provider: Uprobe, Symbols: []string{"target", "other"}}, 2 * n},
			{"wildcard", Probe{Provider: Uprobe, Symbols: fFuncs(t, bin)}, 10 * n},
		} {
			t.Run(mode.name+"/"+c.name, func(t *testing.T) {
				noLeaks(t)
				s := mustLoad(t, counterSpec(ebpf.Kprobe, mode.at))
				tgt := startTarget(t, bin, n)
				c.p.Path = bin
				if err := s.Attach("prog", c.p); err != nil {
					t.Fatal(err)
				}
				s.mu.Lock()
				nlinks := len(s.links)
				s.mu.Unlock()
				wantLinks := len(c.p.Symbols)
				if wantLinks == 0 || mode.at == ebpf.AttachTraceUprobeMulti {
					wantLinks = 1
				}
				if nlinks != wantLinks {
					t.Errorf("%d links, want %d", nlinks, wantLinks)
				}
				tgt.run(t)
				if got := count(t, s); got != uint64(c.want) {
					t.Errorf("count = %d, want %d", got, c.want)
				}
			})
		}
	}
}

// fFuncs is f0..f9 by wildcard ("f*" also matches frame_dummy, which runs
// at startup, possibly after the attach).
func fFuncs(t *testing.T, bin string) []string {
	var out []string
	for _, s := range mustExpand(t, bin, "f*") {
		if len(s) == 2 {
			out = append(out, s)
		}
	}
	if len(out) != 10 {
		t.Fatalf("f* gave %v", out)
	}
	return out
}

// TestUprobeMultiProgramOnPerfEvent checks the kernel fact behind
// Objects.plainTwin: a program loaded for uprobe_multi cannot attach as a
// classic perf-event uprobe, and its plain twin can, sharing the maps.
func TestUprobeMultiProgramOnPerfEvent(t *testing.T) {
	testenv.RequireBPF(t)
	noLeaks(t)
	bin := buildC(t)
	s := mustLoad(t, counterSpec(ebpf.Kprobe, ebpf.AttachTraceUprobeMulti))
	_, targets, err := ResolveUprobe(Probe{Provider: Uprobe, Path: bin, Symbols: []string{"target"}})
	if err != nil {
		t.Fatal(err)
	}
	ex, err := link.OpenExecutable(bin)
	if err != nil {
		t.Fatal(err)
	}
	if cs, err := uprobeEach(ex, s.Program("prog"), targets, 0, false); err == nil {
		closeAll(cs)
		t.Log("this kernel attaches uprobe_multi programs to perf events")
	}
	twin, err := s.plainTwin("prog")
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := s.plainTwin("prog"); again != twin || twin == s.Program("prog") {
		t.Fatal("plainTwin is not loaded once")
	}
	tgt := startTarget(t, bin, 7)
	cs, err := uprobeEach(ex, twin, targets, 0, false)
	if err != nil {
		t.Fatalf("perf-event uprobe with the plain twin: %v", err)
	}
	defer closeAll(cs)
	tgt.run(t)
	if got := count(t, s); got != 7 {
		t.Errorf("count = %d, want 7", got)
	}
}

func mustExpand(t *testing.T, bin, pattern string) []string {
	t.Helper()
	syms, err := ExpandSymbols(bin, pattern)
	if err != nil {
		t.Fatal(err)
	}
	return syms
}

// TestUprobeOffsetIsInstruction checks the premise of the "offset" case:
// at -O0 with frame pointers, target starts with push %rbp (one byte).
func TestUprobeOffsetIsInstruction(t *testing.T) {
	bin := buildC(t)
	tab, err := symtab.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	sym, _ := tab.Lookup("target")
	off, err := tab.FileOffset(sym.Addr)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, int64(off)); err != nil || b[0] != 0x55 {
		t.Fatalf("target starts with %#x, want push %%rbp (0x55)", b)
	}
}

func TestUprobePID(t *testing.T) {
	testenv.RequireBPF(t)
	bin := buildC(t)
	const n = 20
	for _, mode := range loadModes {
		t.Run(mode.name, func(t *testing.T) {
			noLeaks(t)
			s := mustLoad(t, counterSpec(ebpf.Kprobe, mode.at))
			traced, other := startTarget(t, bin, n), startTarget(t, bin, 3*n)
			p := Probe{Provider: Uprobe, PID: traced.cmd.Process.Pid, Symbols: []string{"target"}}
			// No Path: the binary is /proc/PID/exe.
			if err := s.Attach("prog", p); err != nil {
				t.Fatal(err)
			}
			other.run(t)
			traced.run(t)
			if got := count(t, s); got != n {
				t.Errorf("count = %d, want %d (only the traced process)", got, n)
			}
		})
	}
}

// TestUprobeAttachTime attaches one probe to every function of this test
// binary (thousands of Go functions, none of them made to run) with one
// uprobe_multi link and with one link per function, and logs the cost.
func TestUprobeAttachTime(t *testing.T) {
	testenv.RequireBPF(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	syms := mustExpand(t, self, "regexp*")
	syms = append(syms, mustExpand(t, self, "strconv.*")...)
	syms = append(syms, mustExpand(t, self, "debug/*")...)
	if len(syms) < 100 {
		t.Fatalf("only %d symbols", len(syms))
	}
	for _, mode := range loadModes {
		noLeaks(t)
		s := mustLoad(t, counterSpec(ebpf.Kprobe, mode.at))
		start := time.Now()
		use := syms
		if mode.at == ebpf.AttachNone {
			// Detaching a perf-event uprobe waits for an RCU grace period
			// (tens of ms each): keep this mode small.
			use = syms[:20]
		}
		if err := s.Attach("prog", Probe{Provider: Uprobe, Path: self, Symbols: use}); err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		start = time.Now()
		s.Close()
		t.Logf("%s: attached %d uprobes in %v (%v each), closed in %v", mode.name, len(use), took,
			took/time.Duration(len(use)), time.Since(start))
	}
}
