package symtab

import (
	"bytes"
	"debug/elf"
	"debug/gosym"
	"encoding/binary"
	"errors"
	"sort"
)

// The inline tree of a Go binary (Go 1.20+ .gopclntab, magic 0xfffffff1):
// each function's PCDATA_InlTreeIndex table maps a PC to an entry of its
// FUNCDATA_InlTree, an array of runtime.inlinedCall in go:func.*, whose
// address (moduledata.gofunc) is read from the go:func.* symbol or, in a
// stripped binary, from the moduledata that points at .gopclntab.
const (
	pclnMagic120      = 0xfffffff1
	pcdataInlTreeIdx  = 2
	funcdataInlTree   = 3
	inlinedCallSize   = 16
	moduledataGofunc  = 40 // word index of moduledata.gofunc
	moduledataText    = 22 // word index of moduledata.text
	maxInlineDepth    = 64
	funcHeaderSize    = 44 // runtime._func without its pcdata and funcdata
	funcdataNone      = ^uint32(0)
	functabEntrySize  = 8
	pcHeaderWordStart = 8
)

// inlineTable reads inlined calls from one Go binary.
type inlineTable struct {
	pcln     []byte // .gopclntab
	text     uint64 // moduledata.text: base of entry offsets
	minLC    uint64
	nfunc    int
	names    []byte // funcnametab
	pctab    []byte
	ftab     []byte // functab + _func records (pclntable)
	gofunc   uint64
	readData func(addr uint64, n int) ([]byte, bool)
}

// readInline prepares the inline tree of f, or fails for a binary whose
// layout it does not know.
func readInline(f *elf.File, pcln []byte, text uint64) (*inlineTable, error) {
	le := binary.LittleEndian
	if len(pcln) < pcHeaderWordStart+8*8 || le.Uint32(pcln) != pclnMagic120 || pcln[7] != 8 {
		return nil, errors.New("unsupported .gopclntab")
	}
	word := func(i int) uint64 { return le.Uint64(pcln[pcHeaderWordStart+8*i:]) }
	it := &inlineTable{pcln: pcln, text: text, minLC: uint64(pcln[6]), nfunc: int(word(0))}
	off := func(i int) []byte {
		o := word(i)
		if o > uint64(len(pcln)) {
			return nil
		}
		return pcln[o:]
	}
	// words: nfunc, nfiles, textStart, funcnameOffset, cuOffset,
	// filetabOffset, pctabOffset, pclnOffset
	it.names, it.pctab, it.ftab = off(3), off(6), off(7)
	if it.names == nil || it.pctab == nil || it.ftab == nil || len(it.ftab) < (it.nfunc+1)*functabEntrySize {
		return nil, errors.New("corrupt .gopclntab")
	}
	gofunc, ok := goFuncAddr(f, text)
	if !ok {
		return nil, errors.New("go:func.* not found")
	}
	it.gofunc = gofunc
	// The inline trees are in the section holding go:func.* (.rodata).
	for _, sec := range f.Sections {
		if sec.Type == elf.SHT_NOBITS || gofunc < sec.Addr || gofunc >= sec.Addr+sec.Size {
			continue
		}
		data, err := sec.Data()
		if err != nil {
			return nil, err
		}
		base := sec.Addr
		it.readData = func(addr uint64, n int) ([]byte, bool) {
			if addr < base || addr+uint64(n) > base+uint64(len(data)) {
				return nil, false
			}
			return data[addr-base : addr-base+uint64(n)], true
		}
		return it, nil
	}
	return nil, errors.New("go:func.* is in no section")
}

// goFuncAddr finds the address of go:func.*.
func goFuncAddr(f *elf.File, text uint64) (uint64, bool) {
	if syms, err := f.Symbols(); err == nil {
		for _, s := range syms {
			if s.Name == "go:func.*" {
				return s.Value, true
			}
		}
	}
	pclnSec := f.Section(".gopclntab")
	if pclnSec == nil {
		return 0, false
	}
	var want [8]byte
	binary.LittleEndian.PutUint64(want[:], pclnSec.Addr)
	for _, name := range []string{".go.module", ".noptrdata", ".data"} {
		s := f.Section(name)
		if s == nil {
			continue
		}
		data, err := s.Data()
		if err != nil {
			continue
		}
		for i := 0; ; {
			j := bytes.Index(data[i:], want[:])
			if j < 0 {
				break
			}
			at := i + j
			i = at + 1
			if at%8 != 0 || at+8*(moduledataGofunc+1) > len(data) {
				continue
			}
			md := data[at:]
			if binary.LittleEndian.Uint64(md[8*moduledataText:]) != text {
				continue
			}
			return binary.LittleEndian.Uint64(md[8*moduledataGofunc:]), true
		}
	}
	return 0, false
}

// funcAt returns the _func record of the function containing pc and its
// entry address.
func (it *inlineTable) funcAt(pc uint64) ([]byte, uint64, bool) {
	le := binary.LittleEndian
	if pc < it.text {
		return nil, 0, false
	}
	rel := uint32(pc - it.text)
	entry := func(i int) uint32 { return le.Uint32(it.ftab[i*functabEntrySize:]) }
	i := sort.Search(it.nfunc, func(i int) bool { return entry(i) > rel }) - 1
	if i < 0 || i >= it.nfunc {
		return nil, 0, false
	}
	fo := le.Uint32(it.ftab[i*functabEntrySize+4:])
	if uint64(fo)+funcHeaderSize > uint64(len(it.ftab)) {
		return nil, 0, false
	}
	return it.ftab[fo:], it.text + uint64(le.Uint32(it.ftab[fo:])), true
}

// pcvalue decodes the pc-value table at off for pc (runtime.pcvalue).
func (it *inlineTable) pcvalue(off uint32, entry, pc uint64) (int32, bool) {
	if off == 0 || uint64(off) >= uint64(len(it.pctab)) {
		return -1, false
	}
	p := it.pctab[off:]
	val, cur := int32(-1), entry
	for first := true; ; first = false {
		uv, n := binary.Uvarint(p)
		if n <= 0 || (uv == 0 && !first) {
			return -1, false
		}
		p = p[n:]
		d := uint32(uv)
		val += int32(-(d & 1) ^ (d >> 1))
		pd, n := binary.Uvarint(p)
		if n <= 0 {
			return -1, false
		}
		p = p[n:]
		cur += pd * it.minLC
		if pc < cur {
			return val, true
		}
	}
}

// name reads a function name from funcnametab.
func (it *inlineTable) name(off int32) string {
	if off < 0 || int(off) >= len(it.names) {
		return ""
	}
	b := it.names[off:]
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// stack returns the positions at pc, innermost first (see InlinedAt), or
// nil when it cannot tell.
func (it *inlineTable) stack(tab *gosym.Table, pc uint64) []Line {
	le := binary.LittleEndian
	fn, entry, ok := it.funcAt(pc)
	if !ok {
		return nil
	}
	npcdata, nfuncdata := le.Uint32(fn[28:]), uint32(fn[43])
	if npcdata <= pcdataInlTreeIdx || nfuncdata <= funcdataInlTree {
		return nil // no inlining in this function
	}
	if uint64(funcHeaderSize+4*(npcdata+nfuncdata)) > uint64(len(fn)) {
		return nil
	}
	idxTab := le.Uint32(fn[funcHeaderSize+4*pcdataInlTreeIdx:])
	treeOff := le.Uint32(fn[funcHeaderSize+4*npcdata+4*funcdataInlTree:])
	if treeOff == funcdataNone {
		return nil
	}
	var out []Line
	for depth := 0; depth < maxInlineDepth; depth++ {
		file, line, f := tab.PCToLine(pc)
		if f == nil {
			return nil
		}
		idx, ok := it.pcvalue(idxTab, entry, pc)
		if !ok || idx < 0 {
			return append(out, Line{Func: f.Name, File: file, Line: line})
		}
		ic, ok := it.readData(it.gofunc+uint64(treeOff)+uint64(idx)*inlinedCallSize, inlinedCallSize)
		if !ok {
			return nil
		}
		out = append(out, Line{Func: it.name(int32(le.Uint32(ic[4:]))), File: file, Line: line})
		pc = entry + uint64(int64(int32(le.Uint32(ic[8:]))))
	}
	return nil
}
