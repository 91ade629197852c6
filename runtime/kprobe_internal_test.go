package runtime

import (
	"errors"
	"testing"

	"github.com/gobpftrace/gobpftrace/codegen"
	"github.com/gobpftrace/gobpftrace/types"
)

func TestProbesForKprobe(t *testing.T) {
	p := &codegen.Probe{Provider: "kprobe", Targets: []*types.Target{
		{Provider: "kprobe", Symbol: "vfs_read", Offset: 4},
		{Provider: "kprobe", Symbol: "vfs_write"},
	}}
	got := probesFor(p, 0)
	if len(got) != 2 || got[0].Provider != Kprobe || got[0].Symbols[0] != "vfs_read" || got[0].Offset != 4 ||
		got[1].Symbols[0] != "vfs_write" || got[1].Cookies[0] != 1 {
		t.Errorf("probes %+v", got)
	}
	if s := got[0].String(); s != "kprobe:vfs_read+4" {
		t.Errorf("String() = %q", s)
	}
	r := probesFor(&codegen.Probe{Provider: "kretprobe", Targets: []*types.Target{{Provider: "kretprobe", Symbol: "vfs_read"}}}, 0)
	if r[0].Provider != Kretprobe {
		t.Errorf("kretprobe → %+v", r)
	}
}

// TestAttachKprobeUnavailable: without kernel kprobes the attach step
// fails with ErrNoKprobes before it needs a program.
func TestAttachKprobeUnavailable(t *testing.T) {
	if haveKprobes() {
		t.Skip("this kernel has kprobes")
	}
	_, err := attachKprobe(target{}, Probe{Provider: Kprobe, Symbols: []string{"vfs_read"}})
	if !errors.Is(err, ErrNoKprobes) {
		t.Errorf("err = %v, want ErrNoKprobes", err)
	}
	if _, err := attachKprobe(target{}, Probe{Provider: Kretprobe, Symbols: []string{"vfs_read"}, Offset: 4}); err == nil {
		t.Error("kretprobe with an offset attached")
	}
}
