package runtime

import (
	"slices"
	"testing"
	"time"

	"github.com/cilium/ebpf"

	"github.com/gobpftrace/gobpftrace/internal/testenv"
)

func TestInterval(t *testing.T) {
	testenv.RequireBPF(t)
	noLeaks(t)
	s := mustLoad(t, counterSpec(ebpf.PerfEvent, ebpf.AttachNone))
	if err := s.Attach("prog", Probe{Provider: Interval, Period: 10 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	got := count(t, s)
	// 20 periods; allow for scheduling slack either way.
	if got < 5 || got > 30 {
		t.Errorf("interval:ms:10 fired %d times in 200 ms, want about 20", got)
	}
	time.Sleep(30 * time.Millisecond)
	if after := count(t, s); after != got {
		t.Errorf("still firing after Stop: %d → %d", got, after)
	}
}

func TestProfile(t *testing.T) {
	testenv.RequireBPF(t)
	noLeaks(t)
	cpus, err := OnlineCPUs()
	if err != nil {
		t.Fatal(err)
	}
	s := mustLoad(t, counterSpec(ebpf.PerfEvent, ebpf.AttachNone))
	if err := s.Attach("prog", Probe{Provider: Profile, Freq: 200}); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	nlinks := len(s.links)
	s.mu.Unlock()
	if nlinks != len(cpus) {
		t.Errorf("%d perf links, want one per online CPU (%d)", nlinks, len(cpus))
	}
	time.Sleep(200 * time.Millisecond)
	s.Stop()
	// cpu-clock counts idle time too: ~40 per CPU.
	if got := count(t, s); got < uint64(10*len(cpus)) {
		t.Errorf("profile:hz:200 fired %d times in 200 ms on %d CPUs", got, len(cpus))
	}
}

func TestParseCPUList(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []int
		ok   bool
	}{
		{"0", []int{0}, true},
		{"0-3", []int{0, 1, 2, 3}, true},
		{"0-1,4,6-7", []int{0, 1, 4, 6, 7}, true},
		{"", nil, false},
		{"3-1", nil, false},
		{"x", nil, false},
	} {
		got, err := parseCPUList(c.in)
		if (err == nil) != c.ok || !slices.Equal(got, c.want) {
			t.Errorf("parseCPUList(%q) = %v, %v", c.in, got, err)
		}
	}
}
