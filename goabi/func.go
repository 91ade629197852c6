package goabi

import (
	"bytes"
	"debug/dwarf"
	"debug/elf"
	"errors"
	"fmt"
	"sync/atomic"
)

// Func is one Go function: its signature from DWARF and where each value
// lives at entry (parameters) and at each RET (results).
type Func struct {
	Name  string
	Entry uint64 // link-time address
	Size  uint64
	// Params are the receiver (if any) then the parameters, in order;
	// Results the results. Unnamed ones are called "~p0", "~r0", ...
	Params  []*Param
	Results []*Param
}

// Param is one parameter or result.
type Param struct {
	Name string
	Type *Type
	Loc  Location
}

// Param returns the parameter called name.
func (f *Func) Param(name string) (*Param, bool) {
	for _, p := range f.Params {
		if p.Name == name {
			return p, true
		}
	}
	return nil, false
}

// Func describes the function with the given symbol name, e.g.
// "main.(*Server).Handle". It needs the binary's DWARF (ErrNoDWARF) and,
// when the function has any parameter or result, a known ABI (ErrNoRegABI
// when the architecture's calling convention is not implemented).
func (b *Binary) Func(name string) (*Func, error) {
	return b.funcAt(name, nil)
}

// FuncAt is Func for a caller that already knows the function's address
// and size from the symbol table (symtab), which spares reading
// .symtab again.
func (b *Binary) FuncAt(name string, entry, size uint64) (*Func, error) {
	return b.funcAt(name, &elf.Symbol{Name: name, Value: entry, Size: size})
}

func (b *Binary) funcAt(name string, known *elf.Symbol) (*Func, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if f, ok := b.funcs[name]; ok {
		return f, nil
	}
	f, err := b.readFunc(name, known)
	if err != nil {
		return nil, err
	}
	b.funcs[name] = f
	return f, nil
}

func (b *Binary) readFunc(name string, known *elf.Symbol) (*Func, error) {
	b.prefetchDWARF() // inflate while the symbol table is read
	var sym elf.Symbol
	var err error
	if known != nil {
		sym = *known
	} else if sym, err = b.lookup(name); err != nil {
		if _, derr := b.dwarfUntil(func(*dwarf.Data) bool { return true }); derr != nil {
			return nil, derr // no DWARF is the first thing to tell
		}
		return nil, err
	}
	d, err := b.dwarfUntil(func(d *dwarf.Data) bool {
		_, err := d.Reader().SeekPC(sym.Value)
		return err == nil
	})
	if err != nil {
		return nil, err
	}
	f, err := b.readFuncAt(d, name, sym)
	for err != nil && b.info != nil && !b.info.eof {
		// A type beyond the inflated prefix: Go keeps every type in one
		// unit, often after the function's. Take what is inflated next
		// and retry, forgetting types read from the shorter prefix.
		clear(b.types)
		typeRetries.Add(1)
		if gerr := b.info.step(); gerr != nil {
			return nil, fmt.Errorf("%s: reading .debug_info: %w", b.Path, gerr)
		}
		nd, derr := b.info.data()
		if derr != nil {
			return nil, fmt.Errorf("%s: %w", b.Path, derr)
		}
		b.dw = nd
		f, err = b.readFuncAt(b.dw, name, sym)
	}
	return f, err
}

// typeRetries counts the lookups retried on a longer prefix because a
// type was beyond the one they had (tests check the path is taken).
var typeRetries atomic.Int64

func (b *Binary) readFuncAt(d *dwarf.Data, name string, sym elf.Symbol) (*Func, error) {
	r := d.Reader()
	cu, err := r.SeekPC(sym.Value)
	if err != nil {
		return nil, fmt.Errorf("%s: %s at %#x: no DWARF compile unit: %w", b.Path, name, sym.Value, err)
	}
	if !cu.Children {
		return nil, fmt.Errorf("%s: %s: empty DWARF compile unit", b.Path, name)
	}
	if off, ok := b.subprogram(cu.Offset, sym.Value); ok {
		r.Seek(off)
	}
	sub, err := findSubprogram(r, sym.Value)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", b.Path, name, err)
	}
	f := &Func{Name: name, Entry: sym.Value, Size: sym.Size}
	var ins, outs []*Type
	for _, p := range sub {
		t, err := b.typeAt(d, p.typ)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: parameter %s: %w", b.Path, name, p.name, err)
		}
		if p.result {
			f.Results = append(f.Results, &Param{Name: p.name, Type: t})
			outs = append(outs, t)
		} else {
			f.Params = append(f.Params, &Param{Name: p.name, Type: t})
			ins = append(ins, t)
		}
	}
	var inLocs, outLocs []Location
	var ok bool
	if b.RegABI {
		inLocs, outLocs, ok = AssignFunc(b.Arch, ins, outs)
	} else {
		inLocs, outLocs, ok = AssignStack(b.Arch, ins, outs)
	}
	if !ok {
		if len(ins)+len(outs) > 0 {
			return nil, fmt.Errorf("%s: %s: %w (GOARCH %s, %s)", b.Path, name, ErrNoRegABI, b.Arch, b.GoVersion)
		}
	}
	for i, l := range inLocs {
		f.Params[i].Loc = l
	}
	for i, l := range outLocs {
		f.Results[i].Loc = l
	}
	return f, nil
}

type dwParam struct {
	name   string
	typ    dwarf.Offset
	result bool
}

// findSubprogram scans the compile unit r is positioned in (just after its
// entry) for the subprogram starting at address entry and returns its
// formal parameters. A function also inlined elsewhere has a concrete
// entry whose parameters refer to an abstract origin: they are read there.
func findSubprogram(r *dwarf.Reader, entry uint64) ([]dwParam, error) {
	for {
		e, err := r.Next()
		if err != nil {
			return nil, err
		}
		if e == nil || e.Tag == 0 {
			return nil, errors.New("no DWARF subprogram in its compile unit (assembly function?)")
		}
		if e.Tag != dwarf.TagSubprogram {
			if e.Children {
				r.SkipChildren()
			}
			continue
		}
		if low, _ := e.Val(dwarf.AttrLowpc).(uint64); low != entry {
			if e.Children {
				r.SkipChildren()
			}
			continue
		}
		// A concrete instance's parameters name only their abstract
		// origin: the names and types are there.
		if origin, ok := e.Val(dwarf.AttrAbstractOrigin).(dwarf.Offset); ok {
			r.Seek(origin)
			oe, err := r.Next()
			if err != nil || oe == nil {
				return nil, fmt.Errorf("abstract origin %#x: %v", origin, err)
			}
			return readParams(r, oe)
		}
		return readParams(r, e)
	}
}

// readParams reads the formal parameters among e's children.
func readParams(r *dwarf.Reader, e *dwarf.Entry) ([]dwParam, error) {
	var ps []dwParam
	if !e.Children {
		return nil, nil
	}
	for {
		c, err := r.Next()
		if err != nil {
			return nil, err
		}
		if c == nil || c.Tag == 0 {
			return ps, nil
		}
		if c.Tag == dwarf.TagFormalParameter {
			p := dwParam{}
			p.name, _ = c.Val(dwarf.AttrName).(string)
			p.result, _ = c.Val(dwarf.AttrVarParam).(bool)
			var ok bool
			if p.typ, ok = c.Val(dwarf.AttrType).(dwarf.Offset); !ok {
				return nil, fmt.Errorf("parameter %q has no DWARF type", p.name)
			}
			ps = append(ps, p)
		}
		if c.Children {
			r.SkipChildren()
		}
	}
}

// lookup finds a function symbol in .symtab without building the whole
// symbol list: it compares names in place.
func (b *Binary) lookup(name string) (elf.Symbol, error) {
	s := b.f.Section(".symtab")
	if s == nil {
		return elf.Symbol{}, fmt.Errorf("%s: no .symtab (stripped with -ldflags=-s)", b.Path)
	}
	if b.f.Class != elf.ELFCLASS64 {
		return elf.Symbol{}, fmt.Errorf("%s: 32-bit ELF is not supported", b.Path)
	}
	if b.syms == nil && b.symErr == nil {
		b.syms, b.symErr = readSymbols(b.f, s)
	}
	if b.symErr != nil {
		return elf.Symbol{}, b.symErr
	}
	if sym, ok := b.syms.find(name); ok {
		return sym, nil
	}
	return elf.Symbol{}, fmt.Errorf("%s: no function %q in the symbol table (misspelt, inlined everywhere, or removed as dead code?)", b.Path, name)
}

type symbols struct {
	order      binaryOrder
	tab, names []byte
}

type binaryOrder interface {
	Uint32([]byte) uint32
	Uint64([]byte) uint64
}

func readSymbols(f *elf.File, s *elf.Section) (*symbols, error) {
	tab, err := s.Data()
	if err != nil {
		return nil, fmt.Errorf("reading .symtab: %w", err)
	}
	if int(s.Link) >= len(f.Sections) {
		return nil, errors.New(".symtab: bad string table link")
	}
	names, err := f.Sections[s.Link].Data()
	if err != nil {
		return nil, fmt.Errorf("reading .strtab: %w", err)
	}
	return &symbols{order: f.ByteOrder, tab: tab, names: names}, nil
}

// find scans the ELF64 symbol entries for a function called name.
func (s *symbols) find(name string) (elf.Symbol, bool) {
	const entSize = 24
	want := []byte(name)
	for i := entSize; i+entSize <= len(s.tab); i += entSize {
		ent := s.tab[i : i+entSize]
		if elf.ST_TYPE(ent[4]) != elf.STT_FUNC {
			continue
		}
		off := int(s.order.Uint32(ent[0:4]))
		end := off + len(want)
		if end >= len(s.names) || s.names[end] != 0 || !bytes.Equal(s.names[off:end], want) {
			continue
		}
		return elf.Symbol{Name: name, Info: ent[4], Value: s.order.Uint64(ent[8:16]),
			Size: s.order.Uint64(ent[16:24])}, true
	}
	return elf.Symbol{}, false
}

// subprogram finds the subprogram starting at entry in the unit whose
// entry is at cu, through the unit's index (built on first use).
func (b *Binary) subprogram(cu dwarf.Offset, entry uint64) (dwarf.Offset, bool) {
	if b.info == nil {
		return 0, false
	}
	idx, ok := b.subprogs[cu]
	if !ok {
		idx, ok = indexSubprograms(b.info.buf, b.info.abbrev, b.info.extra[".debug_addr"], cu)
		if !ok {
			return 0, false
		}
		if b.subprogs == nil {
			b.subprogs = map[dwarf.Offset]map[uint64]dwarf.Offset{}
		}
		b.subprogs[cu] = idx
	}
	off, ok := idx[entry]
	return off, ok
}
