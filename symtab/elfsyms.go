package symtab

import (
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
)

// elfFuncs returns the defined function symbols of the symbol table
// section s (.symtab or .dynsym). ELF64 tables are parsed in place, with
// every name a substring of one copy of the string table: a large Go
// binary has tens of thousands of symbols, and debug/elf's File.Symbols
// allocates each name and symbol separately. Other classes go through
// debug/elf.
func elfFuncs(f *elf.File, s *elf.Section) ([]Symbol, error) {
	if s == nil {
		return nil, errors.New("no symbol table")
	}
	if f.Class != elf.ELFCLASS64 {
		var syms []elf.Symbol
		var err error
		if s.Type == elf.SHT_DYNSYM {
			syms, err = f.DynamicSymbols()
		} else {
			syms, err = f.Symbols()
		}
		if err != nil {
			return nil, err
		}
		return funcs(syms), nil
	}
	tab, err := s.Data()
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", s.Name, err)
	}
	if int(s.Link) >= len(f.Sections) {
		return nil, fmt.Errorf("%s: bad string table link", s.Name)
	}
	strs, err := f.Sections[s.Link].Data()
	if err != nil {
		return nil, fmt.Errorf("reading %s's strings: %w", s.Name, err)
	}
	names := string(strs)
	bo := f.ByteOrder
	keep := func(ent []byte, _ string) bool { return isFunc(ent, bo) }
	return scanSymbols(tab, names, bo, keep), nil
}

// scanSymbols returns the Elf64_Sym entries of tab that keep accepts,
// with their names as substrings of names.
func scanSymbols(tab []byte, names string, bo binary.ByteOrder, keep func(ent []byte, name string) bool) []Symbol {
	const entSize = 24 // Elf64_Sym
	name := func(ent []byte) string {
		off := int(bo.Uint32(ent[0:4]))
		if off >= len(names) {
			return ""
		}
		end := off
		for end < len(names) && names[end] != 0 {
			end++
		}
		return names[off:end]
	}
	n := 0
	for i := entSize; i+entSize <= len(tab); i += entSize {
		if keep(tab[i:i+entSize], name(tab[i:i+entSize])) {
			n++
		}
	}
	out := make([]Symbol, 0, n)
	for i := entSize; i+entSize <= len(tab); i += entSize {
		ent := tab[i : i+entSize]
		if nm := name(ent); nm != "" && keep(ent, nm) {
			out = append(out, Symbol{Name: nm, Addr: bo.Uint64(ent[8:16]), Size: bo.Uint64(ent[16:24])})
		}
	}
	return out
}

// isFunc tells whether an Elf64_Sym is a defined function at a non-zero
// address (what funcs keeps).
func isFunc(ent []byte, bo interface{ Uint16([]byte) uint16 }) bool {
	return elf.ST_TYPE(ent[4]) == elf.STT_FUNC &&
		elf.SectionIndex(bo.Uint16(ent[6:8])) != elf.SHN_UNDEF &&
		(ent[8]|ent[9]|ent[10]|ent[11]|ent[12]|ent[13]|ent[14]|ent[15]) != 0
}
