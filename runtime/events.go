package runtime

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/ringbuf"
)

// DefaultPollInterval bounds how long a record written without a wakeup
// (BPF_RB_NO_WAKEUP) waits in the ring before the reader sees it.
const DefaultPollInterval = 50 * time.Millisecond

// Ring buffer output flags (bpf_ringbuf_output's last argument) and query
// selectors (bpf_ringbuf_query), from include/uapi/linux/bpf.h. Codegen
// emits: avail := bpf_ringbuf_query(ring, BPF_RB_AVAIL_DATA);
// flags := avail > threshold ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
// if bpf_ringbuf_output(ring, rec, size, flags) < 0 { lost[cpu]++ }.
const (
	RBNoWakeup    = 1
	RBForceWakeup = 2
	RBAvailData   = 0
)

// EventReader delivers the raw records of one BPF ring buffer map. Each
// record starts with a u64 event id (see EventID). It also reports how many
// records the BPF side failed to write (the ring was full): the programs
// count those in a per-CPU array map with one u64 at key 0.
type EventReader struct {
	rd   *ringbuf.Reader
	lost *ebpf.Map
	poll time.Duration

	mu        sync.Mutex // one Poll or Drain at a time
	rec       ringbuf.Record
	delivered atomic.Uint64
}

// ReaderOptions tune an EventReader. Nil means defaults.
type ReaderOptions struct {
	// PollInterval is the longest a record written without a wakeup waits
	// before it is read (default DefaultPollInterval).
	PollInterval time.Duration
}

// NewEventReader reads the BPF_MAP_TYPE_RINGBUF map ring; lost, which may be
// nil, is the per-CPU lost-record counter.
func NewEventReader(ring, lost *ebpf.Map, opts *ReaderOptions) (*EventReader, error) {
	if lost != nil && (lost.Type() != ebpf.PerCPUArray || lost.ValueSize() != 8) {
		return nil, fmt.Errorf("lost counter map: want a per-CPU array of u64, have %s with %d-byte values",
			lost.Type(), lost.ValueSize())
	}
	rd, err := ringbuf.NewReader(ring)
	if err != nil {
		return nil, err
	}
	r := &EventReader{rd: rd, lost: lost, poll: DefaultPollInterval}
	if opts != nil && opts.PollInterval > 0 {
		r.poll = opts.PollInterval
	}
	return r, nil
}

// Events opens an EventReader on the session's maps ring and lost (lost
// may be ""); the session closes it.
func (s *Objects) Events(ring, lost string, opts *ReaderOptions) (*EventReader, error) {
	rm := s.Map(ring)
	if rm == nil {
		return nil, fmt.Errorf("no map %q in the session", ring)
	}
	var lm *ebpf.Map
	if lost != "" {
		if lm = s.Map(lost); lm == nil {
			return nil, fmt.Errorf("no map %q in the session", lost)
		}
	}
	r, err := NewEventReader(rm, lm, opts)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		r.Close()
		return nil, errors.New("session closed")
	}
	s.readers = append(s.readers, r)
	return r, nil
}

// EventID is the u64 event id at the start of a record (host byte order),
// and false for a record too short to have one.
func EventID(rec []byte) (uint64, bool) {
	if len(rec) < 8 {
		return 0, false
	}
	return binary.NativeEndian.Uint64(rec), true
}

// Poll calls fn with every record, in ring order, until ctx is done; then
// it delivers every record still in the ring and returns nil. It also
// returns when fn returns an error (that error) or the reader fails. rec is
// only valid during the call. Nothing waits in the ring longer than the poll
// interval, even when written with BPF_RB_NO_WAKEUP.
//
// To lose nothing at exit: cancel ctx, Objects.Stop (detach, run END), then
// Drain once more for what END and the last probe hits wrote.
func (r *EventReader) Poll(ctx context.Context, fn func(rec []byte) error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	// Wake a blocked read at once when ctx ends.
	stop := context.AfterFunc(ctx, func() { r.rd.Flush() })
	defer stop()
	for ctx.Err() == nil {
		r.rd.SetDeadline(time.Now().Add(r.poll))
		err := r.rd.ReadInto(&r.rec)
		switch {
		case err == nil:
			r.delivered.Add(1)
			if ferr := fn(r.rec.RawSample); ferr != nil {
				return ferr
			}
		case errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, ringbuf.ErrFlushed):
			// Every record present at the wakeup was delivered.
		default:
			return err
		}
	}
	return r.drain(fn)
}

// Drain delivers every record now in the ring without waiting for more.
func (r *EventReader) Drain(fn func(rec []byte) error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.drain(fn)
}

func (r *EventReader) drain(fn func(rec []byte) error) error {
	// A deadline in the past makes the read poll without blocking, then
	// return every record present before reporting the deadline.
	r.rd.SetDeadline(time.Unix(1, 0))
	for {
		err := r.rd.ReadInto(&r.rec)
		switch {
		case err == nil:
			r.delivered.Add(1)
			if ferr := fn(r.rec.RawSample); ferr != nil {
				return ferr
			}
		case errors.Is(err, os.ErrDeadlineExceeded):
			return nil
		case errors.Is(err, ringbuf.ErrFlushed):
			// A flush left over from a cancelled Poll; keep reading.
		default:
			return err
		}
	}
}

// Delivered is how many records this reader has passed to callbacks.
func (r *EventReader) Delivered() uint64 {
	return r.delivered.Load()
}

// Lost sums the lost-record counter over all CPUs: records the BPF side
// could not write because the ring was full. It is 0 without a counter map.
func (r *EventReader) Lost() (uint64, error) {
	if r.lost == nil {
		return 0, nil
	}
	var perCPU []uint64
	if err := r.lost.Lookup(uint32(0), &perCPU); err != nil {
		return 0, fmt.Errorf("reading lost counter: %w", err)
	}
	var n uint64
	for _, v := range perCPU {
		n += v
	}
	return n, nil
}

// Close releases the reader; a blocked Poll returns an error.
func (r *EventReader) Close() error { return r.rd.Close() }
