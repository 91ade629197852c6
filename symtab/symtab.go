// Package symtab reads the function symbols of an ELF binary and resolves
// addresses to `symbol+offset`, the way bpftrace prints stack frames. It
// reads `.symtab` and `.dynsym`, and falls back to Go's `.gopclntab` when a
// Go binary was stripped (`-ldflags=-s -w`), so that probes by name and
// stack symbolization work on stripped Go programs too. It also finds the
// RET instructions of a function (returns.go), where return probes on Go
// functions attach.
//
// A Table is read once, when a probe is attached, and kept for the session:
// stacks stay symbolized after the traced process has exited (bpftrace 0.17
// prints bare addresses then).
package symtab

import (
	"cmp"
	"debug/elf"
	"debug/gosym"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
)

// Symbol is one function: its link-time address, size and name.
type Symbol struct {
	Name string
	Addr uint64
	Size uint64
}

// Source tells where a Table's symbols came from.
type Source string

const (
	FromSymtab    Source = ".symtab"
	FromDynsym    Source = ".dynsym"
	FromGopclntab Source = ".gopclntab"
)

// Table is the sorted function symbols of one binary.
type Table struct {
	Path    string
	Source  Source
	IsGo    bool
	Machine elf.Machine  // the instruction set (Returns decodes EM_X86_64 only)
	syms    []Symbol     // sorted by Addr
	names   *nameIndex   // for Lookup
	goTypes *goTypeIndex // Go itabs, read on first use (gotypes.go)
	textSeg []elf.ProgHeader
	lines   *goLines // LineAt's .gopclntab, read on first use
}

// ErrNoSymbols is returned for a binary with no function symbols at all.
var ErrNoSymbols = errors.New("no function symbols (.symtab, .dynsym and .gopclntab are all missing)")

// Open reads the function symbols of the ELF file at path.
func Open(path string) (*Table, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t, err := Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	t.Path = path
	return t, nil
}

// Read reads the function symbols of an open ELF file.
func Read(f *elf.File) (*Table, error) {
	t := &Table{IsGo: f.Section(".go.buildinfo") != nil || f.Section(".gopclntab") != nil, Machine: f.Machine, lines: &goLines{}}
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD && p.Flags&elf.PF_X != 0 {
			t.textSeg = append(t.textSeg, p.ProgHeader)
		}
	}
	t.goTypes = &goTypeIndex{pie: f.Type == elf.ET_DYN}
	fs, err := elfFuncs(f, f.Section(".symtab"))
	t.Source = FromSymtab
	if err != nil || len(fs) == 0 {
		if t.IsGo {
			if gs, gerr := goSymbols(f); gerr == nil && len(gs) > 0 {
				t.Source = FromGopclntab
				t.setSyms(gs)
				return t, nil
			}
		}
		fs, err = elfFuncs(f, f.Section(".dynsym"))
		t.Source = FromDynsym
	}
	if err != nil || len(fs) == 0 {
		return nil, ErrNoSymbols
	}
	t.setSyms(fs)
	return t, nil
}

// funcs keeps the defined function symbols.
func funcs(syms []elf.Symbol) []Symbol {
	var out []Symbol
	for _, s := range syms {
		if elf.ST_TYPE(s.Info) != elf.STT_FUNC || s.Section == elf.SHN_UNDEF || s.Value == 0 {
			continue
		}
		out = append(out, Symbol{Name: s.Name, Addr: s.Value, Size: s.Size})
	}
	return out
}

// goSymbols reads function symbols from .gopclntab, which survives
// stripping.
func goSymbols(f *elf.File) ([]Symbol, error) {
	pcln := f.Section(".gopclntab")
	text := f.Section(".text")
	if pcln == nil || text == nil {
		return nil, errors.New("no .gopclntab")
	}
	data, err := pcln.Data()
	if err != nil {
		return nil, err
	}
	tab, err := gosym.NewTable(nil, gosym.NewLineTable(data, text.Addr))
	if err != nil {
		return nil, err
	}
	out := make([]Symbol, 0, len(tab.Funcs))
	for _, fn := range tab.Funcs {
		out = append(out, Symbol{Name: fn.Name, Addr: fn.Entry, Size: fn.End - fn.Entry})
	}
	return out, nil
}

func (t *Table) setSyms(s []Symbol) {
	byAddr := func(a, b Symbol) int { return cmp.Compare(a.Addr, b.Addr) }
	if !slices.IsSortedFunc(s, byAddr) {
		slices.SortStableFunc(s, byAddr)
	}
	t.syms = s
	t.names = &nameIndex{}
}

// nameIndex finds symbols by name for Lookup.
type nameIndex struct {
	mu      sync.Mutex
	lookups int            // Lookup calls answered by a scan
	byName  map[string]int // built after a few lookups
}

// Symbols returns every function symbol, sorted by address. The slice is
// shared: do not modify it.
func (t *Table) Symbols() []Symbol { return t.syms }

// Lookup returns the function symbol with this exact name (the one at the
// lowest address if several share it). The first lookups scan the table;
// after a few, an index by name is built once and used.
func (t *Table) Lookup(name string) (Symbol, bool) {
	x := t.names
	if x == nil {
		return Symbol{}, false
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.byName == nil {
		if x.lookups < 8 {
			x.lookups++
			for _, s := range t.syms {
				if s.Name == name {
					return s, true
				}
			}
			return Symbol{}, false
		}
		x.byName = make(map[string]int, len(t.syms))
		for i, s := range t.syms {
			if _, dup := x.byName[s.Name]; !dup {
				x.byName[s.Name] = i
			}
		}
	}
	i, ok := x.byName[name]
	if !ok {
		return Symbol{}, false
	}
	return t.syms[i], true
}

// Resolve finds the function containing the link-time address addr and
// returns it with addr's offset into it. A symbol without a size (as some
// assembly routines have) covers addresses up to the next symbol.
func (t *Table) Resolve(addr uint64) (Symbol, uint64, bool) {
	i := sort.Search(len(t.syms), func(i int) bool { return t.syms[i].Addr > addr }) - 1
	if i < 0 {
		return Symbol{}, 0, false
	}
	s := t.syms[i]
	if s.Size > 0 && addr >= s.Addr+s.Size {
		return Symbol{}, 0, false
	}
	return s, addr - s.Addr, true
}

// FileOffset converts a link-time virtual address into an offset in the
// file, as uprobes want it (cilium/ebpf's UprobeOptions.Address).
func (t *Table) FileOffset(addr uint64) (uint64, error) {
	for _, p := range t.textSeg {
		if addr >= p.Vaddr && addr < p.Vaddr+p.Memsz {
			return addr - p.Vaddr + p.Off, nil
		}
	}
	return 0, fmt.Errorf("address %#x is not in an executable segment", addr)
}

// Address converts a file offset inside an executable segment back into
// its link-time virtual address: the inverse of FileOffset, used to
// symbolize a runtime address through /proc/PID/maps.
func (t *Table) Address(off uint64) (uint64, bool) {
	for _, p := range t.textSeg {
		if off >= p.Off && off < p.Off+p.Filesz {
			return off - p.Off + p.Vaddr, true
		}
	}
	return 0, false
}

// Format renders addr as bpftrace prints a frame: `symbol+offset`, or the
// bare hexadecimal address when no symbol covers it.
func (t *Table) Format(addr uint64) string {
	if s, off, ok := t.Resolve(addr); ok {
		return fmt.Sprintf("%s+%d", s.Name, off)
	}
	return fmt.Sprintf("0x%x", addr)
}
