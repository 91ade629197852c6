package output

import "testing"

// TestGoFrames: frames with a source position (the `go` stack mode) print
// it after the frame, and inlined calls print without an offset, marked.
func TestGoFrames(t *testing.T) {
	st := Stack(Ustack,
		Frame{Addr: 0x401010, Symbol: "main.leaf", File: "/src/m.go", Line: 7, Inlined: true},
		Frame{Addr: 0x401010, Symbol: "main.outer", Offset: 16, File: "/src/m.go", Line: 12},
		Frame{Addr: 0x401234, Symbol: "main.main", Offset: 91},
		Frame{Addr: 0x49e140})
	f, _ := ParseFormat("%s")
	want := "\n        main.leaf (/src/m.go:7) [inlined]\n        main.outer+16 (/src/m.go:12)\n        main.main+91\n        0x49e140\n"
	if got := f.Sprint(st); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}
