package txtar

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRoundTrip(t *testing.T) {
	in := "comment line\n-- a.bt --\nBEGIN { }\n-- b.out --\nx\n\n-- empty --\n"
	a := Parse([]byte(in))
	want := &Archive{
		Comment: []byte("comment line\n"),
		Files: []File{
			{Name: "a.bt", Data: []byte("BEGIN { }\n")},
			{Name: "b.out", Data: []byte("x\n\n")},
			{Name: "empty"},
		},
	}
	if d := cmp.Diff(want, a); d != "" {
		t.Fatalf("Parse mismatch (-want +got):\n%s", d)
	}
	if got := string(Format(a)); got != in {
		t.Fatalf("Format = %q, want %q", got, in)
	}
	a.Set("b.out", []byte("y"))
	a.Set("c", []byte("z\n"))
	if d, _ := a.Get("b.out"); string(d) != "y" {
		t.Fatalf("Get after Set = %q", d)
	}
	if got := string(Format(a)); got != "comment line\n-- a.bt --\nBEGIN { }\n-- b.out --\ny\n-- empty --\n-- c --\nz\n" {
		t.Fatalf("Format after Set = %q", got)
	}
	if _, ok := a.Get("nope"); ok {
		t.Fatal("Get of a missing file succeeded")
	}
}

func TestMarkerLookalikes(t *testing.T) {
	a := Parse([]byte("-- x --\n--not a marker--\n-- --\n"))
	if len(a.Files) != 1 || string(a.Files[0].Data) != "--not a marker--\n-- --\n" {
		t.Fatalf("got %+v", a.Files)
	}
}
