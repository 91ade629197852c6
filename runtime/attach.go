package runtime

import (
	"fmt"
	"io"
	"time"

	"github.com/cilium/ebpf"
)

// Provider is a probe type: the part of an attach point before the first
// colon.
type Provider string

const (
	Begin         Provider = "BEGIN"
	End           Provider = "END"
	Uprobe        Provider = "uprobe"
	Uretprobe     Provider = "uretprobe"
	Kprobe        Provider = "kprobe"
	Kretprobe     Provider = "kretprobe"
	Tracepoint    Provider = "tracepoint"
	RawTracepoint Provider = "rawtracepoint"
	Interval      Provider = "interval"
	Profile       Provider = "profile"
)

// Probe says where one program attaches. Which fields count depends on
// the provider:
//
//	BEGIN, END        none (BEGIN runs when attached, END at Stop)
//	uprobe/uretprobe  Path; Symbols (exact names, already expanded from
//	                  wildcards by the caller or ExpandSymbols), Offset into
//	                  each; or Address (a link-time virtual address) with no
//	                  Symbols; PID (0: every process)
//	kprobe/kretprobe  Symbols (kernel functions), Offset into each (kprobe)
//	tracepoint        Category, Name
//	rawtracepoint     Name
//	interval          Period, on one CPU (CPU, default 0)
//	profile           Freq (Hz) or Period, on every online CPU
type Probe struct {
	Provider Provider
	Path     string
	Symbols  []string
	// Cookies, when set, holds one attach cookie per symbol (or one for an
	// Address): the program reads it with bpf_get_attach_cookie to tell
	// which of its targets fired.
	Cookies  []uint64
	Offset   uint64
	Address  uint64
	PID      int
	Category string
	Name     string
	Period   time.Duration
	Freq     uint64
	CPU      int
}

func (p Probe) String() string {
	switch p.Provider {
	case Begin, End:
		return string(p.Provider)
	case Uprobe, Uretprobe:
		if len(p.Symbols) == 0 {
			return fmt.Sprintf("%s:%s:%#x", p.Provider, p.Path, p.Address)
		}
		s := fmt.Sprintf("%s:%s:%s", p.Provider, p.Path, p.Symbols[0])
		if len(p.Symbols) > 1 {
			s += fmt.Sprintf(" (+%d more)", len(p.Symbols)-1)
		}
		if p.Offset != 0 {
			s += fmt.Sprintf("+%d", p.Offset)
		}
		return s
	case Kprobe, Kretprobe:
		if len(p.Symbols) == 0 {
			return string(p.Provider)
		}
		s := fmt.Sprintf("%s:%s", p.Provider, p.Symbols[0])
		if p.Offset != 0 {
			s += fmt.Sprintf("+%d", p.Offset)
		}
		if len(p.Symbols) > 1 {
			s += fmt.Sprintf(" (+%d more)", len(p.Symbols)-1)
		}
		return s
	case Tracepoint:
		return fmt.Sprintf("tracepoint:%s:%s", p.Category, p.Name)
	case RawTracepoint:
		return "rawtracepoint:" + p.Name
	case Interval, Profile:
		if p.Freq != 0 {
			return fmt.Sprintf("%s:hz:%d", p.Provider, p.Freq)
		}
		return fmt.Sprintf("%s:%v", p.Provider, p.Period)
	}
	return string(p.Provider)
}

// attacher attaches a program for one provider. It returns what must be
// closed to detach it (links, perf event fds), in creation order; on error
// it has closed whatever it created.
type attacher func(t target, p Probe) ([]io.Closer, error)

// target is the program to attach.
type target struct {
	prog *ebpf.Program
	// plain, when not nil, returns the same program loaded with no attach
	// type: a program loaded for uprobe_multi links cannot attach to a
	// perf event, so the one-uprobe-per-function fallback needs this twin.
	plain func() (*ebpf.Program, error)
}

// attachers is the provider table; each entry lives in its provider's file.
var attachers = map[Provider]attacher{
	Uprobe:        attachUprobe,
	Uretprobe:     attachUprobe,
	Kprobe:        attachKprobe,
	Kretprobe:     attachKprobe,
	Tracepoint:    attachTracepoint,
	RawTracepoint: attachRawTracepoint,
	Interval:      attachInterval,
	Profile:       attachProfile,
}

// ProgramType is the BPF program type a provider's programs must have, and
// the attach type to load them with (codegen sets these in the spec).
func ProgramType(p Provider) (ebpf.ProgramType, ebpf.AttachType, error) {
	switch p {
	case Begin, End, RawTracepoint:
		return ebpf.RawTracepoint, ebpf.AttachNone, nil
	case Uprobe, Uretprobe:
		// Loaded for uprobe_multi when the kernel has it; such programs
		// attach through perf events too (see uprobe.go).
		if haveUprobeMulti() {
			return ebpf.Kprobe, ebpf.AttachTraceUprobeMulti, nil
		}
		return ebpf.Kprobe, ebpf.AttachNone, nil
	case Kprobe, Kretprobe:
		return ebpf.Kprobe, ebpf.AttachNone, nil
	case Tracepoint:
		return ebpf.TracePoint, ebpf.AttachNone, nil
	case Interval, Profile:
		return ebpf.PerfEvent, ebpf.AttachNone, nil
	}
	return ebpf.UnspecifiedProgram, ebpf.AttachNone, fmt.Errorf("unsupported probe type %q", p)
}

// Attach attaches the program that the spec called prog at p. BEGIN runs
// the program once, now; END records it for Stop. Everything attached is
// detached by Stop and Close.
func (s *Objects) Attach(prog string, p Probe) error {
	pr := s.Program(prog)
	if pr == nil {
		return fmt.Errorf("%s: no program %q in the session", p, prog)
	}
	return s.attach(target{prog: pr, plain: func() (*ebpf.Program, error) { return s.plainTwin(prog) }}, p)
}

// AttachProgram is Attach for a program given directly; the session does
// not take ownership of pr.
func (s *Objects) AttachProgram(pr *ebpf.Program, p Probe) error {
	return s.attach(target{prog: pr}, p)
}

func (s *Objects) attach(t target, p Probe) error {
	pr := t.prog
	switch p.Provider {
	case Begin:
		if _, err := RunOnce(pr); err != nil {
			return fmt.Errorf("BEGIN: %w", err)
		}
		return nil
	case End:
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.stopped {
			return fmt.Errorf("END: session already stopped")
		}
		s.end = append(s.end, pr)
		return nil
	}
	a, ok := attachers[p.Provider]
	if !ok {
		return fmt.Errorf("%s: unsupported probe type %q", p, p.Provider)
	}
	closers, err := a(t, p)
	if err != nil {
		return fmt.Errorf("attaching %s: %w", p, err)
	}
	for i, c := range closers {
		if err := s.addLink(c); err != nil {
			closeAll(closers[i+1:])
			return fmt.Errorf("attaching %s: %w", p, err)
		}
	}
	return nil
}

// RunOnce runs a raw tracepoint program once in the kernel
// (BPF_PROG_TEST_RUN), as BEGIN and END probes run, and returns its return
// value.
func RunOnce(p *ebpf.Program) (uint32, error) {
	if p.Type() != ebpf.RawTracepoint {
		return 0, fmt.Errorf("program type %s cannot run once, want RawTracepoint", p.Type())
	}
	// No Data, no Repeat: the kernel rejects both for raw_tp programs.
	return p.Run(&ebpf.RunOptions{})
}
