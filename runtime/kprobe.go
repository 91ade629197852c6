package runtime

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/cilium/ebpf/link"
)

// kprobePMU is the perf event source the kernel registers when it has
// kprobes; tracefs's kprobe_events is the older way to create them.
const kprobePMU = "/sys/bus/event_source/devices/kprobe"

// ErrNoKprobes says the kernel was built without kprobes.
var ErrNoKprobes = errors.New("kprobes are not available in this kernel (it was built without CONFIG_KPROBES)")

// haveKprobes reports whether the kernel can create kprobes: through the
// kprobe PMU, or through tracefs's kprobe_events.
func haveKprobes() bool {
	if _, err := os.Stat(kprobePMU); err == nil {
		return true
	}
	for _, p := range []string{TracefsPath + "/kprobe_events", "/sys/kernel/debug/tracing/kprobe_events"} {
		if _, err := os.Stat(p); err == nil {
			return true
		}
	}
	return false
}

// attachKprobe attaches a Kprobe program to each kernel function of p, at
// p.Offset into it (kprobe only), one perf-event link per function, each
// with its cookie.
func attachKprobe(t target, p Probe) ([]io.Closer, error) {
	if len(p.Symbols) == 0 {
		return nil, errors.New("kprobe needs a kernel function")
	}
	if p.Provider == Kretprobe && p.Offset != 0 {
		return nil, errors.New("kretprobe takes no offset")
	}
	if !haveKprobes() {
		return nil, ErrNoKprobes
	}
	var closers []io.Closer
	for i, sym := range p.Symbols {
		opts := &link.KprobeOptions{Offset: p.Offset}
		if i < len(p.Cookies) {
			opts.Cookie = p.Cookies[i]
		}
		var l link.Link
		var err error
		if p.Provider == Kretprobe {
			l, err = link.Kretprobe(sym, t.prog, opts)
		} else {
			l, err = link.Kprobe(sym, t.prog, opts)
		}
		if err != nil {
			closeAll(closers)
			if errors.Is(err, link.ErrNotSupported) && !haveKprobes() {
				return nil, ErrNoKprobes
			}
			return nil, fmt.Errorf("%s: %w", sym, err)
		}
		closers = append(closers, l)
	}
	return closers, nil
}
