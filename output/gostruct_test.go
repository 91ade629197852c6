package output

import (
	"fmt"
	"math"
	"testing"
)

type goMoney struct {
	Units        int64
	Nanos        int32
	CurrencyCode string
}

type goBase struct{ ID uint8 }

type goOrder struct {
	goBase
	Ok    bool
	Price float64
	Ratio float32
	Total goMoney
	Next  *goOrder
	Tags  [3]int16
	Small int8
	Big   uint64
}

func money(units int64, nanos int32, cc string) Value {
	return Value{Kind: GoStruct, Names: []string{"Units", "Nanos", "CurrencyCode"},
		Elems: []Value{IntN(units, 8, true), IntN(int64(nanos), 4, true), Str(cc)}}
}

// order builds the Value of o as runtime decodes it: each leaf from the
// bytes of its width.
func order(o *goOrder, next uint64) Value {
	return Value{Kind: GoStruct,
		Names: []string{"goBase", "Ok", "Price", "Ratio", "Total", "Next", "Tags", "Small", "Big"},
		Elems: []Value{
			{Kind: GoStruct, Names: []string{"ID"}, Elems: []Value{IntN(int64(o.ID), 1, false)}},
			{Kind: GoBool, Bits: map[bool]uint64{true: 1}[o.Ok]},
			Float64(o.Price), Float32(o.Ratio), money(o.Total.Units, o.Total.Nanos, o.Total.CurrencyCode),
			{Kind: GoWord, Bits: next},
			{Kind: GoArray, Bits: 3, Elems: []Value{IntN(int64(o.Tags[0]), 2, true), IntN(int64(o.Tags[1]), 2, true), IntN(int64(o.Tags[2]), 2, true)}},
			IntN(int64(uint8(o.Small)), 1, true), IntN(int64(o.Big), 8, false),
		}}
}

// TestGoText: Go values print exactly as fmt's %+v prints the same Go
// values: nested and embedded structs, every integer width and sign,
// bools, floats in shortest form, strings, nil and non-nil pointers,
// arrays, a pointer to a struct at the top level.
func TestGoText(t *testing.T) {
	m := goMoney{Units: 1, Nanos: -10000000, CurrencyCode: "USD"}
	if got, want := string(AppendValue(nil, ptr(money(1, -10000000, "USD")))), fmt.Sprintf("%+v", m); got != want {
		t.Errorf("money: %s, want %s", got, want)
	}
	o := &goOrder{goBase: goBase{ID: 200}, Ok: true, Price: 1e21, Ratio: 0.1, Total: m, Tags: [3]int16{-1, 32767, -32768}, Small: -128, Big: math.MaxUint64}
	o2 := &goOrder{Price: -0.000012345, Ratio: float32(math.Inf(1)), Next: o}
	addr := uint64(0xc000012345)
	for _, c := range []struct {
		v    Value
		want string
	}{
		{order(o, 0), fmt.Sprintf("%+v", *o)},
		{Value{Kind: GoRef, Bits: addr, Elems: []Value{order(o, 0)}}, fmt.Sprintf("%+v", o)},
		{Value{Kind: GoRef, Bits: 0}, fmt.Sprintf("%+v", (*goOrder)(nil))},
	} {
		if got := string(AppendValue(nil, &c.v)); got != c.want {
			t.Errorf("got  %s\nwant %s", got, c.want)
		}
	}
	// A non-nil pointer field prints as its address, as %+v does.
	got := string(AppendValue(nil, ptr(order(o2, addr))))
	want := fmt.Sprintf("%+v", *o2)
	want = want[:len(want)-len(fmt.Sprintf("%p", o))-len(" Tags:[0 0 0] Small:0 Big:0}")] // cut Next's real address
	if got[:len(want)] != want || got[len(want):] != "0xc000012345 Tags:[0 0 0] Small:0 Big:0}" {
		t.Errorf("got  %s\nwant %s0xc000012345 Tags:[0 0 0] Small:0 Big:0}", got, want)
	}
}

func ptr(v Value) *Value { return &v }

// TestGoTextForms: what %+v cannot show from a probe: arrays cut after
// their first elements, slices as their header, interfaces as their
// words, unreadable fields.
func TestGoTextForms(t *testing.T) {
	w := func(b uint64) Value { return Value{Kind: GoWord, Bits: b} }
	for _, c := range []struct {
		v    Value
		want string
	}{
		{Value{Kind: GoArray, Bits: 20, Elems: []Value{Uint(1), Uint(2)}}, "[1 2 ...]"},
		{Value{Kind: GoArray}, "[]"},
		{Value{Kind: GoSlice, Elems: []Value{Int(3), Int(4), w(0xc000010000)}}, "[len=3 cap=4 0xc000010000]"},
		{Value{Kind: GoSlice, Elems: []Value{Int(0), Int(0), w(0)}}, "[len=0 cap=0 <nil>]"},
		// With elements read: as many as the length says, "..." past them.
		{Value{Kind: GoSlice, Elems: []Value{Int(2), Int(4), w(16), Int(7), Int(-8), Int(0)}}, "[7 -8]"},
		{Value{Kind: GoSlice, Elems: []Value{Int(0), Int(0), w(0), Int(0), Int(0)}}, "[]"},
		{Value{Kind: GoSlice, Elems: []Value{Int(5), Int(5), w(16), Int(1), Int(2)}}, "[1 2 ...]"},
		{Value{Kind: GoSlice, Elems: []Value{Int(-3), Int(0), w(16), Int(1)}}, "[]"},
		{Value{Kind: GoIface, Elems: []Value{w(0x4b3a20), w(0)}}, "{tab:0x4b3a20 data:0x0}"},
		{Value{Kind: GoIface, Elems: []Value{w(0), w(0)}}, "<nil>"},
		{Value{Kind: GoStruct, Names: []string{"C", "Where"}, Elems: []Value{{Kind: GoMissing}, Str("lab")}}, "{C:? Where:lab}"},
		{Value{Kind: GoStruct}, "{}"},
		{Value{Kind: GoIface, Names: []string{"*errors.errorString"}, Elems: []Value{w(0x4b3f28), w(0xc000012345)}}, "{type:*errors.errorString data:0xc000012345}"},
		{Value{Kind: GoStruct, Bits: 5, Names: []string{"A", "B"}, Elems: []Value{IntN(1, 8, true), Str("x")}}, "{A:1 B:x ...}"},
		{Value{Kind: GoStruct, Bits: 2, Names: []string{"A", "B"}, Elems: []Value{IntN(1, 8, true), Str("x")}}, "{A:1 B:x}"},
	} {
		if got := string(AppendValue(nil, &c.v)); got != c.want {
			t.Errorf("got %s, want %s", got, c.want)
		}
	}
	// printf's %s prints the same text, padded as a string.
	f, err := ParseFormat("[%-12s]")
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Sprint(Value{Kind: GoArray, Bits: 2, Elems: []Value{Int(1), Int(-2)}}); got != "[[1 -2]      ]" {
		t.Errorf("printf %%s: %s", got)
	}
}

// TestGoFloatText: floats print as %v prints them, float32 and float64.
func TestGoFloatText(t *testing.T) {
	for _, f := range []float64{0, 1, -2.5, 0.1, 1e6, 1e21, 123456789, 1.5e-7, 0.0001, math.Inf(-1), math.NaN(), math.MaxFloat64} {
		if got, want := string(appendGo(nil, ptr(Float64(f)))), fmt.Sprintf("%v", f); got != want {
			t.Errorf("float64 %v: %s, want %s", f, got, want)
		}
		f32 := float32(f)
		if got, want := string(appendGo(nil, ptr(Float32(f32)))), fmt.Sprintf("%v", f32); got != want {
			t.Errorf("float32 %v: %s, want %s", f32, got, want)
		}
	}
}

// TestGoJSON: print's JSON event holds an object for a struct, arrays
// as arrays, strings as strings, and null for nil and unreadable.
func TestGoJSON(t *testing.T) {
	w := func(b uint64) Value { return Value{Kind: GoWord, Bits: b} }
	v := Value{Kind: GoRef, Bits: 0xc000012345, Elems: []Value{{Kind: GoStruct,
		Names: []string{"M", "Ok", "C", "Next", "Tags", "Items", "Err", "Q\"uote", "Names"},
		Elems: []Value{money(1, -10000000, "U\"SD"), {Kind: GoBool, Bits: 1}, {Kind: GoMissing}, w(0),
			{Kind: GoArray, Bits: 20, Elems: []Value{IntN(-1, 2, true), Float32(0.5)}},
			{Kind: GoSlice, Elems: []Value{Int(3), Int(4), w(16)}},
			{Kind: GoIface, Elems: []Value{w(0), w(0)}}, Str("x"),
			{Kind: GoSlice, Elems: []Value{Int(2), Int(2), w(16), Str("a"), Str("b"), Str("")}}}}}}
	want := `{"type": "value", "data": {"M": {"Units": 1, "Nanos": -10000000, "CurrencyCode": "U\"SD"}, "Ok": true, "C": null, "Next": null, "Tags": [-1, 0.5], "Items": {"len": 3, "cap": 4, "array": 16}, "Err": null, "Q\"uote": "x", "Names": ["a", "b"]}}` + "\n"
	if got := string(AppendJSONValue(nil, &v)); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	named := Value{Kind: GoIface, Names: []string{"*fs.PathError"}, Elems: []Value{w(16), w(32)}}
	if got, want := string(AppendJSONValue(nil, &named)), `{"type": "value", "data": {"type": "*fs.PathError", "tab": 16, "data": 32}}`+"\n"; got != want {
		t.Errorf("named interface: got %s, want %s", got, want)
	}
	if got := string(AppendJSONValue(nil, &Value{Kind: GoRef})); got != `{"type": "value", "data": null}`+"\n" {
		t.Errorf("nil pointer: %s", got)
	}
}
