package runtime

import (
	"testing"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"

	"github.com/gobpftrace/gobpftrace/internal/testenv"
)

func TestTracepoint(t *testing.T) {
	testenv.RequireBPF(t)
	noLeaks(t)
	if !TracepointExists("syscalls", "sys_enter_getppid") {
		t.Fatal("no tracepoint syscalls:sys_enter_getppid")
	}
	if TracepointExists("syscalls", "sys_enter_no_such_call") {
		t.Fatal("TracepointExists found a tracepoint that does not exist")
	}
	s := mustLoad(t, counterSpec(ebpf.TracePoint, ebpf.AttachNone))
	if err := s.Attach("prog", Probe{Provider: Tracepoint, Category: "syscalls", Name: "sys_enter_getppid"}); err != nil {
		t.Fatal(err)
	}
	for range 100 {
		unix.Getppid()
	}
	if got := count(t, s); got < 100 {
		t.Errorf("count = %d after 100 getppid calls", got)
	}
}

func TestRawTracepoint(t *testing.T) {
	testenv.RequireBPF(t)
	noLeaks(t)
	s := mustLoad(t, counterSpec(ebpf.RawTracepoint, ebpf.AttachNone))
	if err := s.Attach("prog", Probe{Provider: RawTracepoint, Name: "sys_enter"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Attach("prog", Probe{Provider: RawTracepoint, Name: "no_such_tracepoint"}); err == nil {
		t.Error("attached to a raw tracepoint that does not exist")
	}
	for range 100 {
		unix.Getppid()
	}
	s.Stop()
	got := count(t, s)
	if got < 100 {
		t.Errorf("count = %d after 100 syscalls", got)
	}
	unix.Getppid()
	if after := count(t, s); after != got {
		t.Errorf("still firing after Stop: %d → %d", got, after)
	}
}
