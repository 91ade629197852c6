package goabi

import (
	"debug/dwarf"
	"testing"
)

// TestScanSubprogram: for every subprogram with a low_pc that is a child
// of its compile unit, the raw scan finds the same entry debug/dwarf's
// walk does, and an address no function starts at is not found.
func TestScanSubprogram(t *testing.T) {
	path, _ := sigs(t)
	t.Setenv(CacheEnv, "off")
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	d, err := b.dwarfData()
	if err != nil {
		t.Fatal(err)
	}
	r := d.Reader()
	var cu dwarf.Offset
	indexes := map[dwarf.Offset]map[uint64]dwarf.Offset{}
	found, depth := 0, 0
	for {
		e, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if e == nil {
			break
		}
		switch {
		case e.Tag == 0:
			depth--
			continue
		case e.Tag == dwarf.TagCompileUnit:
			cu, depth = e.Offset, 0
		case depth == 1 && e.Tag == dwarf.TagSubprogram:
			if low, ok := e.Val(dwarf.AttrLowpc).(uint64); ok {
				idx, ok := indexes[cu]
				if !ok {
					idx, ok = indexSubprograms(b.info.buf, b.info.abbrev, b.info.extra[".debug_addr"], cu)
					if !ok {
						t.Fatalf("unit at %#x: the scan gave up", cu)
					}
					indexes[cu] = idx
				}
				if off, ok := idx[low]; !ok || off != e.Offset {
					t.Fatalf("%v at %#x: scan gave %#x %v, want %#x", e.Val(dwarf.AttrName), low, off, ok, e.Offset)
				}
				found++
				if _, ok := idx[low+1]; ok {
					t.Fatalf("found a function starting at %#x", low+1)
				}
			}
		}
		if e.Children {
			depth++
		}
	}
	if found < 1000 {
		t.Fatalf("only %d subprograms checked", found)
	}
	t.Logf("%d subprograms", found)
	if off, ok := scanSubprogram(b.info.buf, b.info.abbrev, b.info.extra[".debug_addr"], cu, 1); ok {
		t.Fatalf("scanSubprogram found a function at 1 (%#x)", off)
	}
	// Garbage never crashes the scanner.
	for _, cut := range []int{0, 3, 11, 40} {
		scanSubprogram(b.info.buf[:cut], b.info.abbrev, nil, 0, 1)
	}
	scanSubprogram(b.info.buf, b.info.abbrev[:5], b.info.extra[".debug_addr"][:3], 0, 1)
}

// FuzzScanSubprogram feeds the raw scanner damaged DWARF: it must give
// up or answer, never panic or loop.
func FuzzScanSubprogram(f *testing.F) {
	path, _ := sigs(f)
	f.Setenv(CacheEnv, "off")
	b, err := Open(path)
	if err != nil {
		f.Fatal(err)
	}
	defer b.Close()
	if _, err := b.dwarfData(); err != nil {
		f.Fatal(err)
	}
	info, abbrev, addrs := b.info.buf, b.info.abbrev, b.info.extra[".debug_addr"]
	f.Add(info[:min(len(info), 4096)], abbrev, uint16(12), uint64(0x480940))
	f.Add([]byte{}, []byte{}, uint16(0), uint64(0))
	f.Fuzz(func(t *testing.T, unit, ab []byte, cu uint16, entry uint64) {
		scanSubprogram(unit, ab, addrs, dwarf.Offset(cu), entry)
		scanSubprogram(unit, abbrev, addrs, dwarf.Offset(cu), entry)
	})
}
