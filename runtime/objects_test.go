package runtime

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/link"

	"github.com/gobpftrace/gobpftrace/internal/testenv"
)

// fullSpec has one program per provider type, all counting into counts[0],
// plus the ring buffer programs of emitSpec.
func fullSpec() *ebpf.CollectionSpec {
	spec := emitSpec(ebpf.RawTracepoint, 1<<16, 10, -1)
	spec.Maps["counts"] = counterSpec(ebpf.Kprobe, 0).Maps["counts"]
	for name, pt := range map[string]struct {
		t ebpf.ProgramType
		a ebpf.AttachType
	}{
		"begin": {ebpf.RawTracepoint, ebpf.AttachNone},
		"up":    {ebpf.Kprobe, ebpf.AttachTraceUprobeMulti},
		"up1":   {ebpf.Kprobe, ebpf.AttachNone},
		"tp":    {ebpf.TracePoint, ebpf.AttachNone},
		"perf":  {ebpf.PerfEvent, ebpf.AttachNone},
	} {
		spec.Programs[name] = counterSpec(pt.t, pt.a).Programs["prog"]
	}
	return spec
}

func openFDs(t *testing.T) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(ents)
}

// attachAll attaches every program of fullSpec and starts a reader.
func attachAll(t *testing.T, s *Objects, bin string) *EventReader {
	t.Helper()
	for _, a := range []struct {
		prog string
		p    Probe
	}{
		{"begin", Probe{Provider: Begin}},
		{"begin", Probe{Provider: End}},
		{"emit", Probe{Provider: Begin}},
		{"up", Probe{Provider: Uprobe, Path: bin, Symbols: []string{"target", "other"}}},
		{"up1", Probe{Provider: Uretprobe, Path: bin, Symbols: []string{"target", "other"}}},
		{"tp", Probe{Provider: Tracepoint, Category: "syscalls", Name: "sys_enter_getppid"}},
		{"begin", Probe{Provider: RawTracepoint, Name: "sys_enter"}},
		{"perf", Probe{Provider: Interval, Period: time.Millisecond}},
		{"perf", Probe{Provider: Profile, Freq: 99}},
	} {
		if err := s.Attach(a.prog, a.p); err != nil {
			t.Fatal(err)
		}
	}
	r, err := s.Events("events", "lost", nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCloseReleasesEverything(t *testing.T) {
	testenv.RequireBPF(t)
	bin := buildC(t)
	EnsureTracefs()
	fds := openFDs(t)
	noLeaks(t)
	s, err := LoadSpec(fullSpec(), nil)
	if err != nil {
		t.Fatal(err)
	}
	attachAll(t, s, bin)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if got := openFDs(t); got != fds {
		t.Errorf("%d open fds after Close, %d before Load", got, fds)
	}
	if err := s.Attach("up", Probe{Provider: Uprobe, Path: bin, Symbols: []string{"target"}}); err == nil {
		t.Error("Attach after Close succeeded")
	}
}

// TestCancelStopDrainClose is the exit path of a run: the context ends,
// Poll drains and returns, Stop detaches and runs END, Drain, Close.
func TestCancelStopDrainClose(t *testing.T) {
	testenv.RequireBPF(t)
	bin := buildC(t)
	noLeaks(t)
	s := mustLoad(t, fullSpec())
	r := attachAll(t, s, bin)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	var n int
	if err := r.Poll(ctx, func([]byte) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	if n != 10 {
		t.Errorf("BEGIN wrote 10 records, Poll delivered %d", n)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := r.Drain(func([]byte) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestCloseDuringPoll: Close while a reader blocks ends the read.
func TestCloseDuringPoll(t *testing.T) {
	testenv.RequireBPF(t)
	noLeaks(t)
	s := mustLoad(t, emitSpec(ebpf.RawTracepoint, 4096, 1, -1))
	r, err := s.Events("events", "", &ReaderOptions{PollInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() { done <- r.Poll(context.Background(), func([]byte) error { return nil }) }()
	time.Sleep(20 * time.Millisecond)
	s.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Error("Poll returned nil after Close")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Poll still blocked after Close")
	}
}

// TestAttachFailureMidway: a probe that fails to attach after others
// succeeded leaves the session closable with nothing leaked, and a
// per-target attach that fails half way closes what it made.
func TestAttachFailureMidway(t *testing.T) {
	testenv.RequireBPF(t)
	bin := buildC(t)
	noLeaks(t)
	s := mustLoad(t, fullSpec())
	if err := s.Attach("up", Probe{Provider: Uprobe, Path: bin, Symbols: []string{"target"}}); err != nil {
		t.Fatal(err)
	}
	err := s.Attach("up", Probe{Provider: Uprobe, Path: bin, Symbols: []string{"target", "nosuch"}})
	if err == nil || !strings.Contains(err.Error(), "nosuch") {
		t.Fatalf("attach with a missing symbol: %v", err)
	}
	ex, err := link.OpenExecutable(bin)
	if err != nil {
		t.Fatal(err)
	}
	_, targets, err := ResolveUprobe(Probe{Path: bin, Symbols: []string{"target"}})
	if err != nil {
		t.Fatal(err)
	}
	targets = append(targets, UprobeTarget{Symbol: "bad", Offset: 1 << 40})
	fds := openFDs(t)
	if cs, err := uprobeEach(ex, s.Program("up1"), targets, 0, false); err == nil {
		closeAll(cs)
		t.Fatal("uprobe at a huge offset attached")
	}
	if got := openFDs(t); got != fds {
		t.Errorf("failed uprobeEach left %d fds open", got-fds)
	}
	s.Close()
}

// TestLoadFailureLeaksNothing: when the second program fails to load, the
// maps and the first program are closed.
func TestLoadFailureLeaksNothing(t *testing.T) {
	testenv.RequireBPF(t)
	noLeaks(t)
	spec := fullSpec()
	spec.Programs["zzz_bad"] = &ebpf.ProgramSpec{Type: ebpf.RawTracepoint, License: "GPL",
		Instructions: asm.Instructions{asm.Mov.Reg(asm.R0, asm.R2), asm.Return()}}
	s, err := LoadSpec(spec, nil)
	if err == nil {
		s.Close()
		t.Fatal("loaded a program that reads an uninitialised register")
	}
	var ve *VerifierError
	if !errors.As(err, &ve) || ve.Program != "zzz_bad" {
		t.Fatalf("error %v, want a *VerifierError for zzz_bad", err)
	}
	var nilSession *Objects
	if err := nilSession.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestKernelName(t *testing.T) {
	for in, want := range map[string]string{
		"begin":                "gbt_begin",
		"gbt_x":                "gbt_x",
		"uprobe:/bin/x:main.f": "gbt_uprobe__bin",
		"AT_x":                 "gbt_AT_x",
	} {
		if got := KernelName(in); got != want {
			t.Errorf("KernelName(%q) = %q, want %q", in, got, want)
		}
	}
}
