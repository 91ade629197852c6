package runtime

import (
	"encoding/binary"
	"strings"
	"testing"
	"time"

	"github.com/gobpftrace/gobpftrace/codegen"
	"github.com/gobpftrace/gobpftrace/output"
	"github.com/gobpftrace/gobpftrace/types"
)

// incidentProgram is the event table of the incident script, as codegen
// lays it out: id, nsecs, units, nanos (int64 after the cast), a stack.
func incidentProgram() *codegen.Program {
	stack := types.StackType(false, types.Stack{Mode: "bpftrace", Limit: 4})
	return &codegen.Program{
		Events: []*codegen.Event{{
			Kind:   codegen.EventPrintf,
			Format: "time_:%lld units:%d nanos:%d stack:%s\n",
			Args: []codegen.Arg{
				{Offset: 8, Size: 8, Type: types.TypeUint64},
				{Offset: 16, Size: 8, Type: types.TypeInt64},
				{Offset: 24, Size: 8, Type: types.TypeInt64},
				{Offset: 32, Size: 8 + 8*4, Type: stack},
			},
			Size: 32 + 8 + 8*4,
		}},
	}
}

func incidentRecord(nsecs uint64, units, nanos int64) []byte {
	rec := make([]byte, 32+8+8*4)
	binary.LittleEndian.PutUint64(rec[8:], nsecs)
	binary.LittleEndian.PutUint64(rec[16:], uint64(units))
	binary.LittleEndian.PutUint64(rec[24:], uint64(nanos))
	binary.LittleEndian.PutUint32(rec[32:], 0x7ffffff0) // a pid that does not exist
	binary.LittleEndian.PutUint64(rec[40:], 0x1234)
	return rec
}

type incidentRow struct {
	Time  time.Time `bpftrace:"time_"`
	Units int64     `bpftrace:"units"`
	Nanos int32     // matched by name
	Stack []output.Frame
	Other string // no such column: left alone
}

func TestDecodeIncidentRecord(t *testing.T) {
	s, err := newSession(incidentProgram(), nil)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := s.decode(incidentRecord(5_000_000_000, 1, -10_000_000))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ev.String(), "time_:5000000000 units:1 nanos:-10000000 stack:\n        0x1234\n\n"; got != want {
		t.Errorf("text = %q, want %q", got, want)
	}
	row := incidentRow{Other: "kept"}
	if err := ev.Decode(&row); err != nil {
		t.Fatal(err)
	}
	if row.Units != 1 || row.Nanos != -10_000_000 || row.Other != "kept" {
		t.Errorf("row = %+v", row)
	}
	if want := s.clock.Wall(5_000_000_000); !row.Time.Equal(want) {
		t.Errorf("time = %v, want %v", row.Time, want)
	}
	if len(row.Stack) != 1 || row.Stack[0].Addr != 0x1234 {
		t.Errorf("stack = %+v", row.Stack)
	}
}

func TestDecodeSignExtendsNarrowIntegers(t *testing.T) {
	prog := &codegen.Program{Events: []*codegen.Event{{
		Kind: codegen.EventPrintf, Format: "a:%d b:%u c:%s\n", Size: 8 + 8 + 8 + 16,
		Args: []codegen.Arg{
			{Offset: 8, Size: 8, Type: types.IntType(1, true)},
			{Offset: 16, Size: 8, Type: types.IntType(4, false)},
			{Offset: 24, Size: 16, Type: types.StringType(16)},
		},
	}}}
	s, err := newSession(prog, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := make([]byte, 40)
	binary.LittleEndian.PutUint64(rec[8:], 0xff)        // int8 -1
	binary.LittleEndian.PutUint64(rec[16:], 0xffffffff) // uint32 max
	copy(rec[24:], "bash\x00junk")
	ev, err := s.decode(rec)
	if err != nil {
		t.Fatal(err)
	}
	var row struct {
		A int64
		B uint64
		C string
	}
	if err := ev.Decode(&row); err != nil {
		t.Fatal(err)
	}
	if row.A != -1 || row.B != 0xffffffff || row.C != "bash" {
		t.Errorf("row = %+v", row)
	}
	if got := ev.String(); got != "a:-1 b:4294967295 c:bash\n" {
		t.Errorf("text = %q", got)
	}
}

func TestDecodeErrors(t *testing.T) {
	s, _ := newSession(incidentProgram(), nil)
	if _, err := s.decode(make([]byte, 8)); err == nil || !strings.Contains(err.Error(), "record of 8 bytes") {
		t.Errorf("short record: %v", err)
	}
	bad := make([]byte, 80)
	bad[0] = 9
	if _, err := s.decode(bad); err == nil || !strings.Contains(err.Error(), "unknown event id 9") {
		t.Errorf("bad id: %v", err)
	}
	ev, _ := s.decode(incidentRecord(1, 2, 3))
	var notStruct int
	if err := ev.Decode(&notStruct); err == nil {
		t.Error("Decode into an int succeeded")
	}
	var wrong struct{ Units []int }
	if err := ev.Decode(&wrong); err == nil || !strings.Contains(err.Error(), "column units") {
		t.Errorf("Decode into a wrong type: %v", err)
	}
}

func BenchmarkDecode(b *testing.B) {
	s, _ := newSession(incidentProgram(), nil)
	ev, _ := s.decode(incidentRecord(5_000_000_000, 1, -10_000_000))
	b.Run("struct", func(b *testing.B) {
		var row struct {
			Time  time.Time `bpftrace:"time_"`
			Units int64     `bpftrace:"units"`
			Nanos int32     `bpftrace:"nanos"`
		}
		b.ReportAllocs()
		for b.Loop() {
			if err := ev.Decode(&row); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("text", func(b *testing.B) {
		var buf []byte
		b.ReportAllocs()
		for b.Loop() {
			buf = ev.AppendText(buf[:0])
		}
	})
	b.Run("record", func(b *testing.B) {
		rec := incidentRecord(5_000_000_000, 1, -10_000_000)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.decode(rec); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestDecodeStructAllocatesNothing(t *testing.T) {
	s, _ := newSession(incidentProgram(), nil)
	ev, _ := s.decode(incidentRecord(5_000_000_000, 1, -10_000_000))
	var row struct {
		Time  time.Time `bpftrace:"time_"`
		Units int64     `bpftrace:"units"`
		Nanos int32     `bpftrace:"nanos"`
	}
	ev.Decode(&row) // build the plan
	if n := testing.AllocsPerRun(100, func() { ev.Decode(&row) }); n != 0 {
		t.Fatalf("Decode allocates %v times per call, want 0", n)
	}
}

func TestLoadNilProgram(t *testing.T) {
	if _, err := Load(nil, nil); err == nil {
		t.Fatal("Load(nil) succeeded")
	}
}
