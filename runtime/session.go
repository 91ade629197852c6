package runtime

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"time"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"

	"github.com/gobpftrace/gobpftrace/codegen"
	"github.com/gobpftrace/gobpftrace/output"
)

// Options configure a Session. The zero value (or nil) means bpftrace's
// defaults: every process, no time limit, text output.
type Options struct {
	// PID limits user probes to one process (bpftrace's -p).
	PID int
	// TTL ends the session after this long (0: no limit).
	TTL time.Duration
	// JSON selects bpftrace's -f json output for Run.
	JSON bool
	// Quiet drops the "Attaching N probes..." line (bpftrace's -q).
	Quiet bool
	// Output is where Run writes when it is given no writer (default
	// os.Stdout).
	Output io.Writer
	// OnAttached is called once every probe is attached and BEGIN has run,
	// before events are read (the CLI starts -c commands and writes
	// __BPFTRACE_NOTIFY_PROBES_ATTACHED there).
	OnAttached func()
}

// Session is one loaded script: its kernel objects, its event reader and
// what decoding needs (formats, symbol tables). Run or Events drive it;
// Close releases everything.
type Session struct {
	prog    *codegen.Program
	opts    Options
	objs    *Objects
	reader  *EventReader
	formats []*output.Format // per event; nil when the event has no format
	syms    *symbolizer
	clock   clockOffset
	plans   planCache
	started bool
}

// Load creates the maps and programs of a compiled script in the kernel.
// Nothing is attached yet: Run and Events attach, and Close releases.
func Load(prog *codegen.Program, opts *Options) (*Session, error) {
	s, err := newSession(prog, opts)
	if err != nil {
		return nil, err
	}
	objs, err := LoadSpec(collectionSpec(prog), nil)
	if err != nil {
		return nil, err
	}
	s.objs = objs
	if err := s.initElapsed(); err != nil {
		objs.Close()
		return nil, err
	}
	s.reader, err = objs.Events(prog.RingBuf, prog.Lost, nil)
	if err != nil {
		objs.Close()
		return nil, err
	}
	// Read the symbols of every traced binary now, so that stacks stay
	// symbolized after the process exits.
	for _, p := range prog.Probes {
		for _, t := range p.Targets {
			if t.Binary != "" {
				s.syms.preload(t.Binary)
			}
		}
	}
	return s, nil
}

// initElapsed writes the session start (CLOCK_MONOTONIC, as
// bpf_ktime_get_ns counts) where the `elapsed` builtin subtracts it.
func (s *Session) initElapsed() error {
	for _, m := range s.prog.Maps {
		if m.Role != codegen.RoleElapsed {
			continue
		}
		var ts unix.Timespec
		if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
			return err
		}
		if err := s.objs.Map(m.Name).Put(uint32(0), uint64(ts.Nano())); err != nil {
			return fmt.Errorf("setting the start time: %w", err)
		}
	}
	return nil
}

// newSession prepares everything that decoding needs, without the kernel.
func newSession(prog *codegen.Program, opts *Options) (*Session, error) {
	if prog == nil {
		return nil, errors.New("runtime: no program to load")
	}
	if opts == nil {
		opts = &Options{}
	}
	s := &Session{prog: prog, opts: *opts, syms: newSymbolizer(), clock: newClockOffset()}
	s.formats = make([]*output.Format, len(prog.Events))
	for i, ev := range prog.Events {
		if ev.Kind == codegen.EventPrintf {
			f, err := output.ParseFormatFor(ev.Format, len(ev.Args))
			if err != nil {
				return nil, fmt.Errorf("event %d: %w", i, err)
			}
			s.formats[i] = f
		}
	}
	return s, nil
}

// collectionSpec turns a compiled program into cilium/ebpf specs.
func collectionSpec(prog *codegen.Program) *ebpf.CollectionSpec {
	spec := &ebpf.CollectionSpec{
		Maps:     map[string]*ebpf.MapSpec{},
		Programs: map[string]*ebpf.ProgramSpec{},
	}
	for _, m := range prog.Maps {
		ms := m.Spec.Copy()
		ms.Name = m.Name
		spec.Maps[m.Name] = ms
	}
	for _, p := range prog.Probes {
		at := p.AttachType
		if at == ebpf.AttachTraceUprobeMulti && !haveUprobeMulti() {
			at = ebpf.AttachNone
		}
		spec.Programs[p.Name] = &ebpf.ProgramSpec{
			Name:         p.Name,
			Type:         p.Type,
			AttachType:   at,
			Instructions: p.Insns,
			License:      p.License,
		}
	}
	return spec
}

// ProbeCount is the number of attach points bpftrace's "Attaching N
// probes..." line counts: every expanded target, BEGIN and END included.
func (s *Session) ProbeCount() int {
	n := 0
	for _, p := range s.prog.Probes {
		n += len(p.Targets)
	}
	return n
}

// attachAll runs BEGIN and attaches every other probe, then calls
// OnAttached.
func (s *Session) attachAll() error {
	if s.started {
		return errors.New("session already started")
	}
	s.started = true
	for _, pass := range []bool{true, false} { // BEGIN first, as bpftrace
		for _, p := range s.prog.Probes {
			if (p.Provider == "begin") != pass {
				continue
			}
			for _, rp := range probesFor(p, s.opts.PID) {
				if err := s.objs.Attach(p.Name, rp); err != nil {
					return err
				}
			}
		}
	}
	if s.opts.OnAttached != nil {
		s.opts.OnAttached()
	}
	return nil
}

// Run attaches the script and writes its output to w (nil: Options.Output,
// else os.Stdout) as bpftrace does (text, or NDJSON with Options.JSON) until exit() runs, ctx is cancelled or the TTL
// passes; then it detaches, runs END, prints every map and returns. Close
// the session afterwards.
func (s *Session) Run(ctx context.Context, w io.Writer) error {
	if w == nil {
		w = s.opts.Output
	}
	if w == nil {
		w = os.Stdout
	}
	tw := newTextWriter(w, s)
	if !s.opts.Quiet {
		tw.attaching(s.ProbeCount())
	}
	var werr error
	err := s.loop(ctx, func(ev *Event) bool {
		if werr = tw.event(ev); werr != nil {
			return false
		}
		return true
	})
	var ae *attachError
	if errors.As(err, &ae) {
		// Nothing ran: bpftrace prints no maps after a failed attach.
		return ae.err
	}
	if err == nil {
		err = werr
	}
	maps, merr := s.readMaps()
	if lost, lerr := s.reader.Lost(); lerr == nil && lost > 0 {
		tw.lost(lost)
	}
	return errors.Join(err, merr, tw.exit(maps))
}

// Events attaches the script and yields its events, decoded, until exit()
// runs, ctx is cancelled, the TTL passes or the caller stops iterating. An
// exit() event is yielded before the sequence ends. Maps can be read with
// Maps afterwards.
func (s *Session) Events(ctx context.Context) iter.Seq2[*Event, error] {
	return func(yield func(*Event, error) bool) {
		stopped := false
		err := s.loop(ctx, func(ev *Event) bool {
			if !yield(ev, nil) {
				stopped = true
				return false
			}
			return true
		})
		if err != nil && !stopped {
			yield(nil, err)
		}
	}
}

// loop attaches, then reads events until fn returns false, an exit event
// arrives, ctx ends or the TTL passes. It detaches (running END) and drains
// the remaining events before it returns.
func (s *Session) loop(ctx context.Context, fn func(*Event) bool) error {
	if s.opts.TTL > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.opts.TTL)
		defer cancel()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := s.attachAll(); err != nil {
		s.objs.Stop()
		return &attachError{err}
	}
	if s.opts.PID > 0 {
		go s.watchMappings(ctx, uint32(s.opts.PID))
	}
	// After exit() the loop stops polling, but records already written
	// (and END's, after Stop) are still delivered, as bpftrace prints them.
	// Once fn refuses an event nothing more is delivered.
	refused := false
	handle := func(rec []byte) error {
		if refused {
			return nil
		}
		ev, err := s.decode(rec)
		if err != nil {
			return err
		}
		if ev.Map != "" {
			if err := s.mapAction(ev); err != nil {
				return err
			}
		}
		if !fn(ev) {
			refused = true
			cancel()
		} else if ev.Kind == codegen.EventExit {
			cancel()
		}
		return nil
	}
	err := s.reader.Poll(ctx, handle)
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		err = nil
	}
	err = errors.Join(err, s.objs.Stop())
	return errors.Join(err, s.reader.Drain(handle))
}

// Close detaches every probe and closes every map and program. It is
// idempotent.
func (s *Session) Close() error {
	if s == nil || s.objs == nil {
		return nil
	}
	return s.objs.Close()
}

// attachError is a failure to attach, after which Run prints nothing more.
type attachError struct{ err error }

func (e *attachError) Error() string { return e.err.Error() }
func (e *attachError) Unwrap() error { return e.err }

// watchMappings keeps a fresh copy of the traced process's mappings while
// the session runs (it may exec, load libraries, or exit before the maps
// are printed).
func (s *Session) watchMappings(ctx context.Context, pid uint32) {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		s.syms.snapshot(pid)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
