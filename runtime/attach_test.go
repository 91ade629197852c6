package runtime

import (
	"strings"
	"testing"

	"github.com/cilium/ebpf"

	"github.com/gobpftrace/gobpftrace/internal/testenv"
)

func TestBeginEnd(t *testing.T) {
	testenv.RequireBPF(t)
	noLeaks(t)
	s := mustLoad(t, counterSpec(ebpf.RawTracepoint, ebpf.AttachNone))
	if err := s.Attach("prog", Probe{Provider: Begin}); err != nil {
		t.Fatal(err)
	}
	if got := count(t, s); got != 1 {
		t.Fatalf("after BEGIN: count = %d, want 1", got)
	}
	if err := s.Attach("prog", Probe{Provider: End}); err != nil {
		t.Fatal(err)
	}
	if got := count(t, s); got != 1 {
		t.Fatalf("END ran before Stop: count = %d", got)
	}
	for range 2 { // Stop is idempotent: END runs once
		if err := s.Stop(); err != nil {
			t.Fatal(err)
		}
	}
	if got := count(t, s); got != 2 {
		t.Fatalf("after Stop: count = %d, want 2", got)
	}
	if err := s.Attach("prog", Probe{Provider: End}); err == nil {
		t.Error("END attached after Stop")
	}
}

func TestAttachErrors(t *testing.T) {
	testenv.RequireBPF(t)
	noLeaks(t)
	s := mustLoad(t, counterSpec(ebpf.Kprobe, ebpf.AttachNone))
	bin := buildC(t)
	for _, c := range []struct {
		p    Probe
		prog string
		want string
	}{
		{Probe{Provider: Uprobe, Path: bin, Symbols: []string{"no_such_function_xyz"}}, "prog", "not found"},
		{Probe{Provider: "kfunc"}, "prog", "unsupported probe type"},
		{Probe{Provider: Uprobe, Path: "/bin/true", Symbols: []string{"x"}}, "nosuch", "no program"},
		{Probe{Provider: Uprobe, Path: bin, Symbols: []string{"target"}, Offset: 1 << 20}, "prog", "beyond the end"},
		{Probe{Provider: Uprobe, Path: bin}, "prog", "symbol or an address"},
		{Probe{Provider: Begin}, "prog", "cannot run once"},
		{Probe{Provider: Interval}, "prog", "positive period"},
	} {
		err := s.Attach(c.prog, c.p)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Attach(%s) = %v, want an error containing %q", c.p, err, c.want)
		}
	}
}

func TestProbeString(t *testing.T) {
	for _, c := range []struct {
		p    Probe
		want string
	}{
		{Probe{Provider: Begin}, "BEGIN"},
		{Probe{Provider: Uprobe, Path: "/bin/x", Symbols: []string{"f"}, Offset: 4}, "uprobe:/bin/x:f+4"},
		{Probe{Provider: Uretprobe, Path: "/bin/x", Symbols: []string{"f", "g"}}, "uretprobe:/bin/x:f (+1 more)"},
		{Probe{Provider: Uprobe, Path: "/bin/x", Address: 0x1234}, "uprobe:/bin/x:0x1234"},
		{Probe{Provider: Tracepoint, Category: "sched", Name: "sched_switch"}, "tracepoint:sched:sched_switch"},
		{Probe{Provider: Profile, Freq: 99}, "profile:hz:99"},
	} {
		if got := c.p.String(); got != c.want {
			t.Errorf("String() = %q, want %q", got, c.want)
		}
	}
}
