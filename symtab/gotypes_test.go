package symtab

import (
	"debug/elf"
	"testing"

	"github.com/gobpftrace/gobpftrace/internal/testenv"
)

// TestGoTypeAt: the address of an itab names its Go type; any other
// address names none.
func TestGoTypeAt(t *testing.T) {
	bin := testenv.BuildGo(t, `package main

import (
	"errors"
	"fmt"
)

type T struct{ N int }

func (t *T) String() string { return "T" }

//go:noinline
func show(s fmt.Stringer, e error) { fmt.Println(s.String(), e.Error()) }

func main() {
	show(&T{1}, errors.New("x"))
}
`)
	tab, err := Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	syms, _ := f.Symbols()
	f.Close()
	want := map[string]string{
		"go:itab.*errors.errorString,error": "*errors.errorString",
		"go:itab.*main.T,fmt.Stringer":      "*main.T",
	}
	found := 0
	for _, s := range syms {
		w, ok := want[s.Name]
		if !ok {
			continue
		}
		found++
		if got, ok := tab.GoTypeAt(s.Value); !ok || got != w {
			t.Errorf("GoTypeAt(%#x) (%s) = %q %v, want %q", s.Value, s.Name, got, ok, w)
		}
		if got, ok := tab.GoTypeAt(s.Value + 1); ok {
			t.Errorf("GoTypeAt inside %s = %q", s.Name, got)
		}
	}
	if found != len(want) {
		t.Fatalf("found %d of the symbols %v", found, want)
	}
	for sym, w := range map[string]string{
		"go:itab.*main.Pair[int,string],fmt.Stringer": "*main.Pair[int,string]",
		"go:itab.main.E,error":                        "main.E",
		"type:*":                                      "type:*",
	} {
		if got := goTypeName(sym); got != w {
			t.Errorf("goTypeName(%q) = %q, want %q", sym, got, w)
		}
	}
}
