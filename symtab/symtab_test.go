package symtab

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gobpftrace/gobpftrace/internal/testenv"
)

const goProg = `package main

//go:noinline
func target(x int) int { return x * 3 }

func main() { println(target(len("abc"))) }
`

// buildGo builds goProg, stripped or not, and returns the binary's path.
func buildGo(t *testing.T, stripped bool) string {
	t.Helper()
	if stripped {
		return testenv.BuildGo(t, goProg, "-ldflags=-s -w")
	}
	return testenv.BuildGo(t, goProg)
}

func TestGoBinary(t *testing.T) {
	full, err := Open(buildGo(t, false))
	if err != nil {
		t.Fatal(err)
	}
	stripped, err := Open(buildGo(t, true))
	if err != nil {
		t.Fatal(err)
	}
	if full.Source != FromSymtab || stripped.Source != FromGopclntab {
		t.Fatalf("sources: full %s, stripped %s", full.Source, stripped.Source)
	}
	for _, tab := range []*Table{full, stripped} {
		if !tab.IsGo {
			t.Errorf("%s: IsGo = false", tab.Source)
		}
		s, ok := tab.Lookup("main.target")
		if !ok || s.Size == 0 {
			t.Fatalf("%s: Lookup(main.target) = %+v, %v", tab.Source, s, ok)
		}
		if got := tab.Format(s.Addr + 4); got != "main.target+4" {
			t.Errorf("%s: Format = %q", tab.Source, got)
		}
		if got, off, ok := tab.Resolve(s.Addr + s.Size - 1); !ok || got.Name != "main.target" || off != s.Size-1 {
			t.Errorf("%s: Resolve(last byte) = %+v %d %v", tab.Source, got, off, ok)
		}
		if _, ok := tab.Lookup("main.nosuch"); ok {
			t.Errorf("%s: found a symbol that does not exist", tab.Source)
		}
		if got := tab.Format(1); got != "0x1" {
			t.Errorf("%s: Format(1) = %q, want a bare address", tab.Source, got)
		}
	}
	// The stripped binary's table must agree with the full one on addresses.
	a, _ := full.Lookup("main.target")
	b, _ := stripped.Lookup("main.target")
	if a.Addr != b.Addr {
		t.Errorf("main.target at %#x in .symtab but %#x in .gopclntab", a.Addr, b.Addr)
	}
}

func TestFileOffsetMatchesELF(t *testing.T) {
	path := buildGo(t, false)
	tab, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := tab.Lookup("main.target")
	off, err := tab.FileOffset(s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	// The bytes at that file offset are the bytes of the function in .text.
	f, _ := elf.Open(path)
	defer f.Close()
	text := f.Section(".text")
	code, _ := text.Data()
	raw, _ := os.ReadFile(path)
	want := code[s.Addr-text.Addr : s.Addr-text.Addr+8]
	if got := raw[off : off+8]; string(got) != string(want) {
		t.Fatalf("bytes at file offset %#x = % x, want % x", off, got, want)
	}
	if back, ok := tab.Address(off); !ok || back != s.Addr {
		t.Fatalf("Address(FileOffset(%#x)) = %#x, %v", s.Addr, back, ok)
	}
	if _, err := tab.FileOffset(0); err == nil {
		t.Fatal("FileOffset(0) succeeded")
	}
}

func TestCBinary(t *testing.T) {
	cc := testenv.RequireTool(t, "cc")
	dir := t.TempDir()
	src := filepath.Join(dir, "p.c")
	os.WriteFile(src, []byte("int __attribute__((noinline)) work(int x) { return x + 1; }\nint main(void) { return work(1) - 2; }\n"), 0o644)
	for _, pie := range []string{"-pie", "-no-pie"} {
		bin := filepath.Join(dir, "p"+pie)
		if out, err := exec.Command(cc, "-O1", pie, "-o", bin, src).CombinedOutput(); err != nil {
			t.Fatalf("cc: %v\n%s", err, out)
		}
		tab, err := Open(bin)
		if err != nil {
			t.Fatal(err)
		}
		if tab.IsGo || tab.Source != FromSymtab {
			t.Errorf("%s: IsGo %v source %s", pie, tab.IsGo, tab.Source)
		}
		s, ok := tab.Lookup("work")
		if !ok || !strings.HasPrefix(tab.Format(s.Addr), "work+0") {
			t.Errorf("%s: work = %+v %v", pie, s, ok)
		}
	}
}

func TestNotELF(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x")
	os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755)
	if _, err := Open(p); err == nil {
		t.Fatal("Open of a shell script succeeded")
	}
}
