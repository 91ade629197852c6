package runtime_test

// The leak check is per process rather than a global before/after list of
// gbt_ objects, so that other test binaries loading gbt_ objects at the same
// time cannot make it fail or pass: while the session runs, it records the
// IDs of the BPF objects this process's file descriptors hold (progs, maps,
// links, BTF); afterwards every one of them must be gone from the kernel
// (with retries: the kernel frees them after an RCU grace period) and no
// BPF or perf event fd may remain open.

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf/btf"
	"github.com/cilium/ebpf/link"

	"github.com/gobpftrace/gobpftrace/internal/testenv"
	"github.com/gobpftrace/gobpftrace/runtime"
)

// leakCheck proves that a session leaves nothing loaded.
type leakCheck struct {
	t         *testing.T
	fdsBefore map[string]bool
	ours      map[string]bool
}

func newLeakCheck(t *testing.T) *leakCheck {
	t.Helper()
	_, fds := testenv.HeldBPF(t, os.Getpid())
	return &leakCheck{t: t, fdsBefore: fds, ours: map[string]bool{}}
}

// sample records the BPF objects held now (call it while the session is
// loaded). It checks that they are ours: gbt_ programs and maps that
// LoadedObjects sees, so that the final check can fail.
func (l *leakCheck) sample() {
	objs, _ := testenv.HeldBPF(l.t, os.Getpid())
	loaded, err := runtime.LoadedObjects(runtime.NamePrefix)
	if err != nil {
		l.t.Error(err)
	}
	var progs, maps int
	for o := range objs {
		l.ours[o] = true
		if strings.HasPrefix(o, "prog:") || strings.HasPrefix(o, "map:") {
			if !slices.ContainsFunc(loaded, func(s string) bool { return strings.HasPrefix(s, o+":") }) {
				l.t.Errorf("%s is held but LoadedObjects(%q) does not list it: %v", o, runtime.NamePrefix, loaded)
			}
			if strings.HasPrefix(o, "prog:") {
				progs++
			} else {
				maps++
			}
		}
	}
	if progs == 0 || maps == 0 {
		l.t.Errorf("while loaded, the process holds %d programs and %d maps: %v", progs, maps, objs)
	}
}

// stillLoaded lists the recorded objects of the given kinds that the kernel
// still has.
func stillLoaded(t testing.TB, ours map[string]bool, kinds ...string) []string {
	t.Helper()
	loaded, err := runtime.LoadedObjects(runtime.NamePrefix)
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for o := range ours {
		kind, v, _ := strings.Cut(o, ":")
		if !slices.Contains(kinds, kind) {
			continue
		}
		id, _ := strconv.ParseUint(v, 10, 32)
		alive := false
		switch kind {
		case "prog", "map":
			i := slices.IndexFunc(loaded, func(s string) bool { return strings.HasPrefix(s, o+":") })
			if alive = i >= 0; alive {
				o = loaded[i]
			}
		case "link":
			if lk, err := link.NewFromID(link.ID(id)); err == nil {
				lk.Close()
				alive = true
			}
		case "btf":
			if h, err := btf.NewHandleFromID(btf.ID(id)); err == nil {
				h.Close()
				alive = true
			}
		}
		if alive {
			left = append(left, o)
		}
	}
	slices.Sort(left)
	return left
}

// waitGone waits (up to 2 s) until none of the recorded objects of the
// given kinds is loaded, and reports those that stay.
func waitGone(t testing.TB, ours map[string]bool, kinds ...string) {
	t.Helper()
	var left []string
	for range 200 {
		if left = stillLoaded(t, ours, kinds...); len(left) == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("still loaded: %v", left)
}

// done checks that everything sampled is gone and no BPF fd is left open.
func (l *leakCheck) done() {
	l.t.Helper()
	if len(l.ours) == 0 {
		l.t.Error("leak check: nothing was sampled while the session ran")
	}
	waitGone(l.t, l.ours, "prog", "map", "link", "btf")
	_, fds := testenv.HeldBPF(l.t, os.Getpid())
	for fd := range fds {
		if !l.fdsBefore[fd] {
			l.t.Errorf("still open: %s", fd)
		}
	}
}
