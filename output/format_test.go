package output

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseFormatSpecs(t *testing.T) {
	f, _ := ParseFormat("a %-08.3lld b %rx %hhu %5s %%d %q %s")
	var toks []string
	for _, sp := range f.Specs() {
		toks = append(toks, sp.Token())
	}
	// "%%d" holds a spec bpftrace counts (its regex starts at the second
	// '%'); "%q" is not one.
	want := []string{"lld", "rx", "hhu", "s", "d", "s"}
	if d := cmp.Diff(want, toks); d != "" {
		t.Fatalf("tokens (-want +got):\n%s", d)
	}
	sp := f.Specs()[0]
	if !sp.Minus || !sp.Zero || sp.Width != 8 || sp.Prec != 3 || sp.Start != 2 || sp.End != 11 {
		t.Fatalf("spec 0 = %+v", sp)
	}
	if f.NumArgs() != 6 {
		t.Fatalf("NumArgs = %d", f.NumArgs())
	}
}

func TestColumns(t *testing.T) {
	f, _ := ParseFormat("time_:%lld units:%d %s x: %d 9a:%u id9:%x")
	var got []string
	for _, c := range f.Columns() {
		got = append(got, c.Name+"="+c.Spec.Token()+"@"+string(rune('0'+c.Arg)))
	}
	want := []string{"time_=lld@0", "units=d@1", "a=u@4", "id9=x@5"}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("columns (-want +got):\n%s", d)
	}
}

func TestCheck(t *testing.T) {
	for _, c := range []struct {
		fn, format string
		args       []Kind
		want       string
	}{
		{"printf", "%s %d", []Kind{Ustack, Pointer}, ""},
		{"printf", "%s", []Kind{Ksym}, ""},
		{"printf", "%d", []Kind{Count}, "printf: %d specifier expects a value of type integer (count supplied)"},
		{"printf", "%rh", []Kind{Buffer}, ""},
		{"printf", "%s", []Kind{Tuple}, "printf: %s specifier expects a value of type string (tuple supplied)"},
		{"system", "%d", nil, "system: Not enough arguments for format string (0 supplied, 1 expected)"},
		{"debugf", "%X", []Kind{Integer}, "debugf: Unknown format string token: %X"},
		{"debugf", "%d%d%d%d", []Kind{Integer, Integer, Integer, Integer}, "debugf: Cannot use more than 3 conversion specifiers"},
	} {
		f, _ := ParseFormat(c.format)
		err := f.CheckCall(c.fn, c.args)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("%s(%q, %v) = %q, want %q", c.fn, c.format, c.args, got, c.want)
		}
	}
}

// TestGlibcFlags covers flags bpftrace 0.17's tokenizer never produces but
// the engine supports; the expectations are glibc's (coreutils printf).
func TestGlibcFlags(t *testing.T) {
	for _, c := range []struct {
		sp   Spec
		conv string
		v    int64
		want string
	}{
		{Spec{Plus: true, Width: -1, Prec: -1}, "d", 5, "+5"},
		{Spec{Space: true, Width: -1, Prec: -1}, "d", 5, " 5"},
		{Spec{Plus: true, Width: -1, Prec: -1}, "d", -5, "-5"},
		{Spec{Space: true, Width: 5, Prec: -1}, "d", 42, "   42"},
		{Spec{Plus: true, Zero: true, Width: 5, Prec: -1}, "d", 42, "+0042"},
		{Spec{Hash: true, Width: -1, Prec: -1}, "x", 255, "0xff"},
		{Spec{Hash: true, Width: -1, Prec: -1}, "X", 255, "0XFF"},
		{Spec{Hash: true, Width: -1, Prec: -1}, "x", 0, "0"},
		{Spec{Hash: true, Width: -1, Prec: -1}, "o", 8, "010"},
		{Spec{Hash: true, Width: -1, Prec: -1}, "o", 0, "0"},
		{Spec{Hash: true, Width: -1, Prec: 0}, "o", 0, "0"},
		{Spec{Hash: true, Zero: true, Width: 10, Prec: -1}, "x", 255, "0x000000ff"},
		{Spec{Hash: true, Minus: true, Width: 8, Prec: -1}, "x", 255, "0xff    "},
		{Spec{Plus: true, Width: -1, Prec: -1}, "u", 5, "5"},
		{Spec{Plus: true, Width: -1, Prec: 0}, "d", 0, "+"},
		{Spec{Space: true, Width: -1, Prec: 3}, "d", 7, " 007"},
	} {
		sp := c.sp
		sp.Conv, sp.Length = c.conv, "ll"
		v := Int(c.v)
		if got := string(appendSpec(nil, &sp, &v)); got != c.want {
			t.Errorf("%+v with %d = %q, want %q", c.sp, c.v, got, c.want)
		}
	}
}

func TestStacksAndValues(t *testing.T) {
	st := Stack(Ustack, Frame{Addr: 0x401000, Symbol: "main.Func", Offset: 0},
		Frame{Addr: 0x401234, Symbol: "main.main", Offset: 91}, Frame{Addr: 0x49e140})
	f, _ := ParseFormat("stack:%s|%-6s|\n")
	got := f.Sprint(st, Text(Ksym, "vfs_read"))
	want := "stack:\n        main.Func+0\n        main.main+91\n        0x49e140\n|vfs_read|\n"
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	m := &Map{Name: "@s", Kind: Ustack, Entries: []Entry{{Keys: k(Int(1)), Value: st}}}
	if got, want := string(AppendMap(nil, m, PrintOptions{})),
		"@s[1]: \n        main.Func+0\n        main.main+91\n        0x49e140\n\n"; got != want {
		t.Fatalf("stack map: got %q, want %q", got, want)
	}
	km := &Map{Name: "@k", Kind: Count, Entries: []Entry{{Keys: k(st), Value: Uint(3)}}}
	if got, want := string(AppendMap(nil, km, PrintOptions{})),
		"@k[\n    main.Func+0\n    main.main+91\n    0x49e140\n]: 3\n"; got != want {
		t.Fatalf("stack key: got %q, want %q", got, want)
	}
	rec := Value{Kind: Record, Names: []string{"a", "b"}, Elems: []Value{Int(1), Str("x")}}
	arr := Value{Kind: Array, Elems: []Value{Int(1), Int(2)}}
	if got := string(appendText(nil, &rec, 8, 1)) + string(appendText(nil, &arr, 8, 1)); got != "{ .a = 1, .b = x }[1,2]" {
		t.Fatalf("record/array text = %q", got)
	}
	if got := string(appendJSONText(nil, &rec, 1)); got != `{"a": 1, "b": "x"}` {
		t.Fatalf("record JSON = %q", got)
	}
}

func TestJSONEscape(t *testing.T) {
	got := string(AppendJSONMessage(nil, "printf", []byte("a\"b\\c\n\t\x01é")))
	want := `{"type": "printf", "data": "a\"b\\c\n\t\u0001\uffffffc3\uffffffa9"}` + "\n"
	if got != want {
		t.Fatalf("got %s want %s", got, want)
	}
	if got := string(AppendJSONCount(nil, "attached_probes", "probes", 1)); got != `{"type": "attached_probes", "data": {"probes": 1}}`+"\n" {
		t.Fatalf("count event = %q", got)
	}
}

func TestHistIndex(t *testing.T) {
	for v, want := range map[int64]int{-3: 0, 0: 1, 1: 2, 2: 3, 3: 3, 4: 4, 1023: 11, 1024: 12, 1 << 31: 33, 1 << 40: 33} {
		if got := HistIndex(v); got != want {
			t.Errorf("HistIndex(%d) = %d, want %d", v, got, want)
		}
	}
	for _, c := range [][5]int64{{-1, 0, 10, 2, 0}, {0, 0, 10, 2, 1}, {9, 0, 10, 2, 5}, {10, 0, 10, 2, 6}} {
		if got := LhistIndex(c[0], c[1], c[2], c[3]); got != int(c[4]) {
			t.Errorf("LhistIndex%v = %d", c[:4], got)
		}
	}
}

func TestTooFewArgsPrintsNextPartRaw(t *testing.T) {
	f, _ := ParseFormat("a%db%dc%d")
	if got := string(f.Append(nil, []Value{Int(1)})); got != "a1b%d" {
		t.Fatalf("got %q", got)
	}
	if !strings.Contains(f.String(), "%d") {
		t.Fatal("String lost the format")
	}
}

// TestParseFormatFor: text that reads as a float conversion stays text
// when bpftrace 0.17's reading accounts for every argument, and becomes a
// conversion when it takes the argument left over.
func TestParseFormatFor(t *testing.T) {
	cases := []struct {
		format string
		nargs  int
		want   []string // the specs' text
	}{
		{"50% efficiency %d\n", 1, []string{"%d"}},
		{"50% efficiency %d\n", 2, []string{"% e", "%d"}},
		{"%f %e\n", 0, nil},
		{"%f %d\n", 2, []string{"%f", "%d"}},
		{"ratio:%.3g pct:%d%%\n", 2, []string{"%.3g", "%d"}},
		{"%s %lf\n", 1, []string{"%s"}},
		{"%s %lf\n", 2, []string{"%s", "%lf"}},
	}
	for _, c := range cases {
		f, err := ParseFormatFor(c.format, c.nargs)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, sp := range f.Specs() {
			got = append(got, c.format[sp.Start:sp.End])
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("ParseFormatFor(%q, %d) = %q, want %q", c.format, c.nargs, got, c.want)
		}
	}
}
