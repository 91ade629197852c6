package runtime

import (
	"encoding/binary"
	"fmt"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gobpftrace/gobpftrace/codegen"
	"github.com/gobpftrace/gobpftrace/output"
	"github.com/gobpftrace/gobpftrace/types"
)

// Event is one decoded record: a printf line, a print(), an exit().
type Event struct {
	ID     int               // index into the program's event table
	Kind   codegen.EventKind // what produced it
	Map    string            // the map of print/clear/zero events
	Format *output.Format    // printf's format; nil for other kinds
	Values []output.Value    // the arguments, in order
	// MapData is the map a print(@map) event printed, read when the event
	// arrived, with print's top and divisor arguments.
	MapData   *output.Map
	PrintOpts output.PrintOptions
	// Time is when a time() event was read (bpftrace takes it in user
	// space too); TimeFormat is its strftime format.
	Time       time.Time
	TimeFormat string
	sess       *Session
}

// AppendText appends the event as bpftrace prints it (printf output; a
// print of a value followed by a newline).
func (e *Event) AppendText(dst []byte) []byte {
	switch {
	case e.Format != nil:
		return e.Format.Append(dst, e.Values)
	case e.Kind == codegen.EventTime:
		return output.AppendStrftime(dst, e.TimeFormat, e.Time)
	case e.MapData != nil:
		return output.AppendMap(dst, e.MapData, e.PrintOpts)
	case e.Kind == codegen.EventPrint && len(e.Values) == 1:
		return append(output.AppendValue(dst, &e.Values[0]), '\n')
	}
	return dst
}

// String returns AppendText as a string.
func (e *Event) String() string { return string(e.AppendText(nil)) }

// decode turns a ring buffer record into an Event. The values copy what
// they keep: the record's buffer is reused by the reader.
func (s *Session) decode(rec []byte) (*Event, error) {
	id, ok := EventID(rec)
	if !ok || id >= uint64(len(s.prog.Events)) {
		return nil, fmt.Errorf("record with unknown event id %d (%d bytes)", id, len(rec))
	}
	desc := s.prog.Events[id]
	if len(rec) < desc.Size {
		return nil, fmt.Errorf("event %d: record of %d bytes, want %d", id, len(rec), desc.Size)
	}
	ev := &Event{ID: int(id), Kind: desc.Kind, Map: desc.Map, Format: s.formats[id], sess: s}
	if desc.Kind == codegen.EventTime {
		ev.Time, ev.TimeFormat = time.Now(), desc.Format
	}
	if len(desc.Args) > 0 {
		ev.Values = make([]output.Value, len(desc.Args))
	}
	for i, a := range desc.Args {
		if a.Go != nil {
			ev.Values[i] = s.goComposite(rec[a.Offset:a.Offset+a.Size], a.Go)
			continue
		}
		ev.Values[i] = s.value(rec[a.Offset:a.Offset+a.Size], a.Type)
	}
	return ev, nil
}

// value decodes one argument of a record.
func (s *Session) value(b []byte, t *types.Type) output.Value {
	switch t.Kind {
	case types.Int:
		return intValue(b, t)
	case types.Float:
		return floatValue(b, t)
	case types.Pointer:
		return output.Value{Kind: output.Pointer, Size: 8, Bits: le64(b)}
	case types.String:
		return output.Value{Kind: output.String, Bytes: append([]byte(nil), b...)}
	case types.Ustack:
		pid := uint32(le64(b))
		return output.Stack(output.Ustack, s.syms.user(pid, addrs(b[8:]), t.Stack.Mode == "go")...)
	case types.Kstack:
		return output.Stack(output.Kstack, s.syms.kernel(addrs(b))...)
	case types.Probe, types.Usym, types.Ksym:
		return s.targetName(le64(b), t.Kind)
	case types.Tuple:
		v := output.Value{Kind: output.Tuple, Elems: make([]output.Value, len(t.Fields))}
		for i, f := range t.Fields {
			v.Elems[i] = s.value(b[f.Offset:f.Offset+f.Type.Size], f.Type)
		}
		return v
	}
	return output.Value{Kind: output.Buffer, Bytes: append([]byte(nil), b...)}
}

// intValue decodes an integer stored 8 bytes wide (or at its own width)
// and keeps the type's width and sign for printing.
func intValue(b []byte, t *types.Type) output.Value {
	var bits uint64
	switch len(b) {
	case 1:
		bits = uint64(b[0])
	case 2:
		bits = uint64(binary.LittleEndian.Uint16(b))
	case 4:
		bits = uint64(binary.LittleEndian.Uint32(b))
	default:
		bits = le64(b)
	}
	return output.Value{Kind: output.Integer, Size: uint8(t.Size), Signed: t.Signed, Bits: bits}
}

// floatValue decodes a float's raw IEEE bits, stored 8 bytes wide (a
// float32 in the low 4) or at their own width.
func floatValue(b []byte, t *types.Type) output.Value {
	if t.Size == 4 && len(b) >= 4 {
		return output.Value{Kind: output.Float, Size: 4, Bits: uint64(binary.LittleEndian.Uint32(b))}
	}
	return output.Value{Kind: output.Float, Size: 8, Bits: le64(b)}
}

// targetName resolves a probe or func value: the program's index in the
// high 32 bits, the firing target's index in the low 32 bits.
func (s *Session) targetName(v uint64, k types.Kind) output.Value {
	kind := output.Probe
	if k != types.Probe {
		kind = output.Usym
	}
	prog, idx := v>>32, v&0xffffffff
	if prog >= uint64(len(s.prog.Probes)) || idx >= uint64(len(s.prog.Probes[prog].Targets)) {
		return output.Text(kind, "")
	}
	t := s.prog.Probes[prog].Targets[idx]
	if k == types.Probe {
		return output.Text(kind, t.Name)
	}
	return output.Text(kind, t.Symbol)
}

func le64(b []byte) uint64 {
	if len(b) < 8 {
		var x [8]byte
		copy(x[:], b)
		return binary.LittleEndian.Uint64(x[:])
	}
	return binary.LittleEndian.Uint64(b)
}

// addrs reads the zero-terminated u64 frame addresses of a stack argument.
func addrs(b []byte) []uint64 {
	var out []uint64
	for i := 0; i+8 <= len(b); i += 8 {
		a := binary.LittleEndian.Uint64(b[i:])
		if a == 0 {
			break
		}
		out = append(out, a)
	}
	return out
}

// clockOffset converts bpf_ktime_get_ns (CLOCK_MONOTONIC) readings into
// wall-clock time.
type clockOffset int64

func newClockOffset() clockOffset {
	var ts unix.Timespec
	_ = unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	return clockOffset(time.Now().UnixNano() - ts.Nano())
}

// Wall returns the wall-clock time of a monotonic nanosecond reading.
func (c clockOffset) Wall(nsecs uint64) time.Time {
	return time.Unix(0, int64(nsecs)+int64(c))
}
