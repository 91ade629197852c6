package runtime

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unsafe"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"
)

// attachInterval runs prog every p.Period on one CPU (p.CPU), as bpftrace's
// interval probes do: a cpu-clock software perf event with a sample period
// in nanoseconds.
func attachInterval(t target, p Probe) ([]io.Closer, error) {
	prog := t.prog
	if p.Period <= 0 {
		return nil, errors.New("interval needs a positive period")
	}
	attr := cpuClock()
	attr.Sample = uint64(p.Period.Nanoseconds())
	c, err := attachPerfEvent(prog, attr, p.CPU)
	if err != nil {
		return nil, err
	}
	return []io.Closer{c}, nil
}

// attachProfile runs prog on every online CPU, p.Freq times a second (or
// every p.Period), as bpftrace's profile probes do.
func attachProfile(t target, p Probe) ([]io.Closer, error) {
	prog := t.prog
	attr := cpuClock()
	switch {
	case p.Freq > 0:
		attr.Bits |= unix.PerfBitFreq
		attr.Sample = p.Freq
	case p.Period > 0:
		attr.Sample = uint64(p.Period.Nanoseconds())
	default:
		return nil, errors.New("profile needs a frequency or a period")
	}
	cpus, err := OnlineCPUs()
	if err != nil {
		return nil, err
	}
	var out []io.Closer
	for _, cpu := range cpus {
		c, err := attachPerfEvent(prog, attr, cpu)
		if err != nil {
			closeAll(out)
			return nil, fmt.Errorf("cpu %d: %w", cpu, err)
		}
		out = append(out, c)
	}
	return out, nil
}

func cpuClock() *unix.PerfEventAttr {
	return &unix.PerfEventAttr{
		Type:   unix.PERF_TYPE_SOFTWARE,
		Config: unix.PERF_COUNT_SW_CPU_CLOCK,
		Size:   uint32(unsafe.Sizeof(unix.PerfEventAttr{})),
	}
}

// perfLink is a BPF link on a perf event; closing it closes both.
type perfLink struct {
	link *link.RawLink
	fd   int
}

func (l *perfLink) Close() error {
	err := l.link.Close()
	if cerr := unix.Close(l.fd); cerr != nil {
		err = errors.Join(err, cerr)
	}
	return err
}

// attachPerfEvent opens a perf event for every process on one CPU and links
// prog to it.
func attachPerfEvent(prog *ebpf.Program, attr *unix.PerfEventAttr, cpu int) (*perfLink, error) {
	if prog.Type() != ebpf.PerfEvent {
		return nil, fmt.Errorf("program type %s, want PerfEvent", prog.Type())
	}
	fd, err := unix.PerfEventOpen(attr, -1, cpu, -1, unix.PERF_FLAG_FD_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("perf_event_open: %w", err)
	}
	l, err := link.AttachRawLink(link.RawLinkOptions{Target: fd, Program: prog, Attach: ebpf.AttachPerfEvent})
	if err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("attach perf event: %w", err)
	}
	return &perfLink{link: l, fd: fd}, nil
}

// OnlineCPUs lists the online CPUs (/sys/devices/system/cpu/online, e.g.
// "0-3,6").
func OnlineCPUs() ([]int, error) {
	b, err := os.ReadFile("/sys/devices/system/cpu/online")
	if err != nil {
		return nil, err
	}
	return parseCPUList(strings.TrimSpace(string(b)))
}

func parseCPUList(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		if part == "" {
			continue
		}
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return nil, fmt.Errorf("cpu list %q: %w", s, err)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil || b < a {
				return nil, fmt.Errorf("cpu list %q: bad range %q", s, part)
			}
		}
		for c := a; c <= b; c++ {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("cpu list %q is empty", s)
	}
	return out, nil
}
