package symtab

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// inlineProg has leaf (line 7) inlined into outer (its call on line 11).
const inlineProg = `package main

var sink int

//go:noinline
func bottom(x int) int { return x + 1 }
func leaf(x int) int { return bottom(x) * 2 }

//go:noinline
func outer(x int) int {
	return leaf(x) + 1
}

func main() { sink = outer(len(sink0)) }

var sink0 []int
`

// TestInlinedAt: some PC of main.outer is inside the inlined main.leaf and
// reports both positions, innermost first, in plain and stripped binaries;
// its entry reports one position.
func TestInlinedAt(t *testing.T) {
	for _, flags := range [][]string{nil, {"-ldflags=-s -w"}} {
		t.Run(fmt.Sprint(flags), func(t *testing.T) {
			bin := buildProg(t, inlineProg, flags...)
			src := filepath.Join(filepath.Dir(bin), "main.go")
			tab, err := Open(bin)
			if err != nil {
				t.Fatal(err)
			}
			outer, ok := tab.Lookup("main.outer")
			if !ok {
				t.Fatal("no main.outer")
			}
			if got := tab.InlinedAt(outer.Addr); len(got) != 1 || got[0] != (Line{"main.outer", src, 10}) {
				t.Errorf("at the entry of outer: %v", got)
			}
			want := fmt.Sprint([]Line{{"main.leaf", src, 7}, {"main.outer", src, 11}})
			found := false
			for pc := outer.Addr; pc < outer.Addr+outer.Size; pc++ {
				if got := tab.InlinedAt(pc); len(got) > 1 {
					if fmt.Sprint(got) != want {
						t.Fatalf("at %#x: %v, want %s", pc, got, want)
					}
					found = true
				}
			}
			if !found {
				t.Errorf("no PC of main.outer has leaf inlined")
			}
		})
	}
}

// TestProcessPath: for this process (in the host's mount namespace) the
// host's paths are kept; "" is the executable; a missing file is not found.
func TestProcessPath(t *testing.T) {
	pid := os.Getpid()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := ProcessPath(pid, ""); !ok || got != exe {
		t.Errorf(`ProcessPath(self, "") = %q, %v; want %q`, got, ok, exe)
	}
	if got, ok := ProcessPath(pid, exe); !ok || got != exe {
		t.Errorf("ProcessPath(self, %q) = %q, %v", exe, got, ok)
	}
	if got, ok := ProcessPath(pid, "/no/such/file"); ok {
		t.Errorf("a missing file resolved to %q", got)
	}
	if _, ok := ProcessPath(1<<30, ""); ok {
		t.Error("the executable of a missing process resolved")
	}
}
