package symtab

import (
	"debug/elf"
	"sort"
	"strings"
	"sync"
)

// Go interface values. The first word of an interface with methods (an
// error) points at an interface table, a `go:itab.T,I` data symbol of the
// binary; GoTypeAt turns such a word back into T, so that printing an
// error says *errors.errorString rather than a bare address. (An empty
// interface's first word points at a type descriptor; the linker names
// only the start of their region, so those stay addresses.)

// goTypeIndex holds a Go binary's interface tables,
// read from its file on the first GoTypeAt (printing an interface is
// rare; compiling must not pay for it).
type goTypeIndex struct {
	pie  bool // ET_DYN: data addresses move by a load bias
	once sync.Once
	syms []Symbol // sorted by address
}

// load reads the index from the binary at path.
func (x *goTypeIndex) load(path string) {
	f, err := elf.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	s := f.Section(".symtab")
	if s == nil || f.Class != elf.ELFCLASS64 || int(s.Link) >= len(f.Sections) {
		return
	}
	tab, err := s.Data()
	if err != nil {
		return
	}
	strs, err := f.Sections[s.Link].Data()
	if err != nil {
		return
	}
	keep := func(ent []byte, name string) bool {
		return elf.ST_TYPE(ent[4]) == elf.STT_OBJECT && strings.HasPrefix(name, "go:itab.")
	}
	syms := scanSymbols(tab, string(strs), f.ByteOrder, keep)
	sort.Slice(syms, func(i, j int) bool { return syms[i].Addr < syms[j].Addr })
	x.syms = syms
}

// GoTypeAt names the Go type whose interface table starts at the
// link-time address addr ("*errors.errorString"), or reports
// false. Position-independent binaries answer false: their data moved by
// a load bias this table does not know.
func (t *Table) GoTypeAt(addr uint64) (string, bool) {
	x := t.goTypes
	if x == nil || x.pie || !t.IsGo || t.Path == "" {
		return "", false
	}
	x.once.Do(func() { x.load(t.Path) })
	i := sort.Search(len(x.syms), func(i int) bool { return x.syms[i].Addr >= addr })
	if i == len(x.syms) || x.syms[i].Addr != addr {
		return "", false
	}
	return goTypeName(x.syms[i].Name), true
}

// goTypeName turns "go:itab.*errors.errorString,error" into
// "*errors.errorString".
func goTypeName(sym string) string {
	if rest, ok := strings.CutPrefix(sym, "go:itab."); ok {
		// The interface follows the last comma outside brackets: generic
		// type arguments may hold commas.
		depth := 0
		for i := len(rest) - 1; i >= 0; i-- {
			switch rest[i] {
			case ']':
				depth++
			case '[':
				depth--
			case ',':
				if depth == 0 {
					return rest[:i]
				}
			}
		}
		return rest
	}
	return sym
}
