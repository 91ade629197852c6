package runtime

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/gobpftrace/gobpftrace/codegen"
	"github.com/gobpftrace/gobpftrace/types"
)

// floatProgram is a printf event with a float64, a float32 (its bits in
// the low 4 of its 8 bytes, as codegen writes them) and an integer, and a
// print of a float32.
func floatProgram() *codegen.Program {
	return &codegen.Program{Events: []*codegen.Event{{
		Kind: codegen.EventPrintf, Format: "price:%f ratio:%g items:%d\n", Size: 32,
		Args: []codegen.Arg{
			{Offset: 8, Size: 8, Type: types.FloatType(8)},
			{Offset: 16, Size: 8, Type: types.FloatType(4)},
			{Offset: 24, Size: 8, Type: types.TypeInt64},
		},
	}, {
		Kind: codegen.EventPrint, Size: 16,
		Args: []codegen.Arg{{Offset: 8, Size: 8, Type: types.FloatType(4)}},
	}}}
}

func floatRecord(price float64, ratio float32, items int64) []byte {
	rec := make([]byte, 32)
	binary.LittleEndian.PutUint64(rec[16:], 0xdeadbeef00000000) // bits above a float32 are ignored
	binary.LittleEndian.PutUint64(rec[8:], math.Float64bits(price))
	binary.LittleEndian.PutUint32(rec[16:], math.Float32bits(ratio))
	binary.LittleEndian.PutUint64(rec[24:], uint64(items))
	return rec
}

// TestDecodeFloats: float arguments print with C's conversions and decode
// into float32 and float64 fields (a float32 into a float64 exactly as Go
// converts it); a string field gets print()'s text.
func TestDecodeFloats(t *testing.T) {
	s, err := newSession(floatProgram(), nil)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := s.decode(floatRecord(2.5, 0.1, 3))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ev.String(), "price:2.500000 ratio:0.1 items:3\n"; got != want {
		t.Errorf("text = %q, want %q", got, want)
	}
	var row struct {
		Price float64
		Ratio float32
		Items int
	}
	if err := ev.Decode(&row); err != nil {
		t.Fatal(err)
	}
	if row.Price != 2.5 || row.Ratio != 0.1 || row.Items != 3 {
		t.Errorf("row = %+v", row)
	}
	var wide struct {
		Ratio float64
		Price string
	}
	if err := ev.Decode(&wide); err != nil {
		t.Fatal(err)
	}
	if wide.Ratio != float64(float32(0.1)) || wide.Price != "2.5" {
		t.Errorf("wide = %+v", wide)
	}
	rec := make([]byte, 16)
	rec[0] = 1
	binary.LittleEndian.PutUint32(rec[8:], math.Float32bits(-0.375))
	pev, err := s.decode(rec)
	if err != nil {
		t.Fatal(err)
	}
	if got := pev.String(); got != "-0.375\n" {
		t.Errorf("print = %q", got)
	}
}

func TestDecodeFloatMismatches(t *testing.T) {
	s, _ := newSession(floatProgram(), nil)
	ev, _ := s.decode(floatRecord(2.5, 0.1, 3))
	for _, c := range []struct {
		dst  any
		want string
	}{
		{&struct{ Price float32 }{}, "Decode: column price: cannot store a float64 in a field of type float32"},
		{&struct{ Price int64 }{}, "Decode: column price: cannot store a float64 in a field of type int64"},
		{&struct{ Ratio uint32 }{}, "Decode: column ratio: cannot store a float32 in a field of type uint32"},
		{&struct{ Ratio bool }{}, "Decode: column ratio: cannot store a float32 in a field of type bool"},
		{&struct{ Items float64 }{}, "Decode: column items: cannot store a integer in a field of type float64"},
	} {
		err := ev.Decode(c.dst)
		if err == nil || err.Error() != c.want {
			t.Errorf("Decode(%T) = %v, want %q", c.dst, err, c.want)
		}
	}
}

func TestDecodeFloatsAllocateNothing(t *testing.T) {
	s, _ := newSession(floatProgram(), nil)
	ev, _ := s.decode(floatRecord(2.5, 0.1, 3))
	var row struct {
		Price float64
		Ratio float32
		Items int
	}
	ev.Decode(&row) // build the plan
	if n := testing.AllocsPerRun(100, func() { ev.Decode(&row) }); n != 0 {
		t.Fatalf("Decode allocates %v times per call, want 0", n)
	}
}
