package symtab

import (
	"debug/elf"
	"debug/gosym"
	"errors"
	"sync"
)

// Line is a source position of a Go program counter.
type Line struct {
	Func string // the function the position is in
	File string
	Line int
}

// goLines is the lazily read .gopclntab of a Go binary.
type goLines struct {
	once sync.Once
	tab  *gosym.Table
	inl  *inlineTable // nil when the inline tree is unreadable
	err  error
}

// LineAt returns the source position of the link-time address addr in a
// Go binary, from .gopclntab (present even in stripped binaries). When
// code was inlined at addr the position is that of the inlined (innermost)
// function, and Func is the function the code was inlined into. ok is
// false for a binary without .gopclntab or an address outside Go code.
func (t *Table) LineAt(addr uint64) (Line, bool) {
	if !t.IsGo || t.Path == "" || t.lines == nil {
		return Line{}, false
	}
	t.lines.once.Do(func() { t.lines.tab, t.lines.inl, t.lines.err = openGoTable(t.Path) })
	if t.lines.err != nil {
		return Line{}, false
	}
	file, line, fn := t.lines.tab.PCToLine(addr)
	if fn == nil || file == "" {
		return Line{}, false
	}
	return Line{Func: fn.Name, File: file, Line: line}, true
}

// openGoTable reads the .gopclntab of the ELF file at path, and its
// inline tree when the binary's layout is one readInline knows.
func openGoTable(path string) (*gosym.Table, *inlineTable, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	pcln, text := f.Section(".gopclntab"), f.Section(".text")
	if pcln == nil || text == nil {
		return nil, nil, errors.New("no .gopclntab")
	}
	data, err := pcln.Data()
	if err != nil {
		return nil, nil, err
	}
	tab, err := gosym.NewTable(nil, gosym.NewLineTable(data, text.Addr))
	if err != nil {
		return nil, nil, err
	}
	inl, _ := readInline(f, data, text.Addr)
	return tab, inl, nil
}

// InlinedAt returns the source positions of the link-time address pc in a
// Go binary, innermost first: for each call inlined at pc, the inlined
// function and the position in it, then the function pc is in with the
// position of the (outermost) inlined call. Without inlining at pc it is
// one position; nil when pc has no position.
func (t *Table) InlinedAt(pc uint64) []Line {
	l, ok := t.LineAt(pc)
	if !ok {
		return nil
	}
	if t.lines.inl != nil {
		if out := t.lines.inl.stack(t.lines.tab, pc); len(out) > 0 {
			return out
		}
	}
	return []Line{l}
}
