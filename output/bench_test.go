package output

import "testing"

func TestAppendAllocs(t *testing.T) {
	f, _ := ParseFormat("%-16s pid:%6d ts:%lld ret:%x %s\n")
	args := []Value{Str("nginx\x00\x00\x00"), Int(4242), Int(123456789012), Int(-1), Str("GET /index.html")}
	buf := make([]byte, 0, 256)
	if n := testing.AllocsPerRun(100, func() { buf = f.Append(buf[:0], args) }); n != 0 {
		t.Fatalf("Append allocates %.1f times per call", n)
	}
	if got, want := string(buf), "nginx            pid:  4242 ts:123456789012 ret:ffffffff GET /index.html\n"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func BenchmarkAppend(b *testing.B) {
	f, _ := ParseFormat("%-16s pid:%6d ts:%lld ret:%x %s\n")
	args := []Value{Str("nginx"), Int(4242), Int(123456789012), Int(-1), Str("GET /index.html")}
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		buf = f.Append(buf[:0], args)
	}
}

func BenchmarkAppendMapHist(b *testing.B) {
	m := &Map{Name: "@h", Kind: Hist, Entries: []Entry{{Buckets: hist(0, 1, 2, 3, 100, 100, 70000, 5000, 5000)}}}
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendMap(buf[:0], m, PrintOptions{})
	}
}
