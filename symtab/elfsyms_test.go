package symtab

import (
	"debug/elf"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gobpftrace/gobpftrace/internal/testenv"
)

// TestElfFuncsMatchesDebugElf: the in-place ELF64 parser keeps exactly the
// function symbols debug/elf's File.Symbols gives, for a Go program and
// for the system's libc (.dynsym).
func TestElfFuncsMatchesDebugElf(t *testing.T) {
	exe := testenv.BuildGo(t, "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(1) }\n")
	for _, c := range []struct{ path, section string }{
		{exe, ".symtab"},
		{"/lib/x86_64-linux-gnu/libc.so.6", ".dynsym"},
	} {
		f, err := elf.Open(c.path)
		if err != nil {
			t.Logf("%s: %v", c.path, err)
			continue
		}
		var want []elf.Symbol
		if c.section == ".dynsym" {
			want, err = f.DynamicSymbols()
		} else {
			want, err = f.Symbols()
		}
		if err != nil {
			t.Fatal(err)
		}
		got, err := elfFuncs(f, f.Section(c.section))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 {
			t.Fatalf("%s %s: no functions", c.path, c.section)
		}
		if d := cmp.Diff(funcs(want), got); d != "" {
			t.Errorf("%s %s (-debug/elf +ours):\n%s", c.path, c.section, d)
		}
		f.Close()
	}
}

// TestLookupScanThenIndex: Lookup answers the same before and after it
// builds its index, and gives the lowest address for a duplicated name.
func TestLookupScanThenIndex(t *testing.T) {
	tab := &Table{}
	tab.setSyms([]Symbol{{Name: "b", Addr: 30}, {Name: "a", Addr: 10}, {Name: "dup", Addr: 50}, {Name: "dup", Addr: 20}})
	for i := range 20 {
		s, ok := tab.Lookup("dup")
		if !ok || s.Addr != 20 {
			t.Fatalf("lookup %d: %v %v, want dup at 20", i, s, ok)
		}
		if _, ok := tab.Lookup("missing"); ok {
			t.Fatalf("lookup %d found a missing name", i)
		}
	}
	if tab.names.byName == nil {
		t.Error("no index after 40 lookups")
	}
}
