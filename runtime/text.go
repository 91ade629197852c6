package runtime

import (
	"fmt"
	"io"

	"github.com/gobpftrace/gobpftrace/codegen"
	"github.com/gobpftrace/gobpftrace/output"
)

// textWriter writes a session's output the way bpftrace 0.17 does, as text
// or (json) as NDJSON messages. It reuses one buffer for every event.
type textWriter struct {
	w    io.Writer
	json bool
	buf  []byte
}

func newTextWriter(w io.Writer, s *Session) *textWriter {
	return &textWriter{w: w, json: s.opts.JSON}
}

func (t *textWriter) flush() error {
	_, err := t.w.Write(t.buf)
	t.buf = t.buf[:0]
	return err
}

// attaching writes "Attaching N probes..." (or its JSON message).
func (t *textWriter) attaching(n int) error {
	if t.json {
		t.buf = output.AppendJSONCount(t.buf, "attached_probes", "probes", uint64(n))
	} else {
		plural := "s"
		if n == 1 {
			plural = ""
		}
		t.buf = fmt.Appendf(t.buf, "Attaching %d probe%s...\n", n, plural)
	}
	return t.flush()
}

// event writes one event's output.
func (t *textWriter) event(ev *Event) error {
	switch ev.Kind {
	case codegen.EventPrintf, codegen.EventPrint, codegen.EventTime:
	default:
		return nil
	}
	if !t.json {
		t.buf = ev.AppendText(t.buf)
		return t.flush()
	}
	if ev.Kind == codegen.EventPrintf || ev.Kind == codegen.EventTime {
		typ := "printf"
		if ev.Kind == codegen.EventTime {
			typ = "time"
		}
		t.buf = output.AppendJSONMessage(t.buf, typ, ev.AppendText(nil))
	} else if ev.MapData != nil {
		t.buf = output.AppendMapJSON(t.buf, ev.MapData, ev.PrintOpts)
	} else if len(ev.Values) == 1 {
		t.buf = output.AppendJSONValue(t.buf, &ev.Values[0])
	}
	return t.flush()
}

// lost reports records the ring buffer dropped.
func (t *textWriter) lost(n uint64) error {
	if t.json {
		t.buf = output.AppendJSONCount(t.buf, "lost_events", "events", n)
	} else {
		t.buf = fmt.Appendf(t.buf, "Lost %d events\n", n)
	}
	return t.flush()
}

// exit writes the end of the run: two newlines, then every map.
func (t *textWriter) exit(maps []*output.Map) error {
	return output.WriteExit(t.w, maps, t.json)
}
