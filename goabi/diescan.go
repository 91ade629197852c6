package goabi

import (
	"debug/dwarf"
	"encoding/binary"
)

// Finding a function's DIE fast. debug/dwarf decodes every attribute of
// every entry into allocated fields; walking a large compile unit that way
// to find one subprogram (a main package with thousands of functions is
// megabytes of DWARF) costs tens of milliseconds. indexSubprograms walks
// the raw entries of a unit once instead, decoding only the abbreviation
// codes and the lengths of values, and maps each function's entry address
// to the offset of its subprogram for debug/dwarf to read (a Binary keeps
// the index per unit: listing every function of a unit stays linear). Anything it does not understand (64-bit DWARF, an
// unknown form) makes it give up, and the caller falls back to
// debug/dwarf's walk. DWARF 5 low_pc values indexed into .debug_addr
// (DW_FORM_addrx, as Go 1.26 writes them) are resolved through the unit's
// DW_AT_addr_base.

// abbrevEntry is one abbreviation: the tag, whether entries have
// children, and each attribute's name and form (and implicit constant).
type abbrevEntry struct {
	tag      dwarf.Tag
	children bool
	attrs    []abbrevAttr
}

type abbrevAttr struct {
	attr dwarf.Attr
	form uint64
}

// DWARF forms, by number (DWARF 5, 7.5.6).
const (
	formAddr        = 0x01
	formBlock2      = 0x03
	formBlock4      = 0x04
	formData2       = 0x05
	formData4       = 0x06
	formData8       = 0x07
	formString      = 0x08
	formBlock       = 0x09
	formBlock1      = 0x0a
	formData1       = 0x0b
	formFlag        = 0x0c
	formSdata       = 0x0d
	formStrp        = 0x0e
	formUdata       = 0x0f
	formRefAddr     = 0x10
	formRef1        = 0x11
	formRef2        = 0x12
	formRef4        = 0x13
	formRef8        = 0x14
	formRefUdata    = 0x15
	formIndirect    = 0x16
	formSecOffset   = 0x17
	formExprloc     = 0x18
	formFlagPresent = 0x19
	formStrx        = 0x1a
	formRefSig8     = 0x20
	formImplicit    = 0x21
	formLoclistx    = 0x22
	formRnglistx    = 0x23
	formStrx1       = 0x25
	formStrx2       = 0x26
	formStrx3       = 0x27
	formStrx4       = 0x28
	formAddrx       = 0x1b
	formAddrx1      = 0x29
	formAddrx2      = 0x2a
	formAddrx3      = 0x2b
	formAddrx4      = 0x2c
	formData16      = 0x1e
	formLineStrp    = 0x1f
)

// readAbbrevs parses the abbreviation table at off, or returns nil.
func readAbbrevs(abbrev []byte, off int) map[uint64]*abbrevEntry {
	if off < 0 || off >= len(abbrev) {
		return nil
	}
	b := scanBuf{data: abbrev, off: off}
	out := map[uint64]*abbrevEntry{}
	for {
		code := b.uleb()
		if code == 0 || b.bad {
			break
		}
		e := &abbrevEntry{tag: dwarf.Tag(b.uleb()), children: b.u8() != 0}
		for {
			attr, form := b.uleb(), b.uleb()
			if attr == 0 && form == 0 || b.bad {
				break
			}
			if form == formImplicit {
				b.sleb()
			}
			e.attrs = append(e.attrs, abbrevAttr{dwarf.Attr(attr), form})
		}
		out[code] = e
	}
	if b.bad {
		return nil
	}
	return out
}

// unitStart returns the offset of the header of the unit holding the
// entry at off (32-bit DWARF units, walked from the start).
func unitStart(info []byte, off dwarf.Offset) (int, bool) {
	for start := 0; start+4 <= len(info); {
		n := int(binary.LittleEndian.Uint32(info[start:]))
		if n >= 0xfffffff0 {
			return 0, false
		}
		end := start + 4 + n
		if int(off) < end {
			return start, int(off) > start
		}
		start = end
	}
	return 0, false
}

// scanSubprogram returns the offset of the subprogram whose low_pc is
// entry among the children of the compile unit entry at cu (not nested
// deeper). ok is false when the scan gave up or found none.
func scanSubprogram(info, abbrev, addrs []byte, cu dwarf.Offset, entry uint64) (off dwarf.Offset, ok bool) {
	idx, ok := indexSubprograms(info, abbrev, addrs, cu)
	if !ok {
		return 0, false
	}
	off, ok = idx[entry]
	return off, ok
}

// indexSubprograms maps the entry address of each subprogram among the
// children of the compile unit entry at cu to the subprogram's offset.
// ok is false when the scan gave up.
func indexSubprograms(info, abbrev, addrs []byte, cu dwarf.Offset) (map[uint64]dwarf.Offset, bool) {
	start, ok := unitStart(info, cu)
	if !ok {
		return nil, false
	}
	b := scanBuf{data: info, off: start}
	length := b.u32()
	if length >= 0xfffffff0 || b.bad {
		return nil, false // 64-bit DWARF
	}
	end := b.off + int(length)
	if end > len(info) {
		return nil, false
	}
	b.data = info[:end]
	version := b.u16()
	var abbrevOff int
	var addrSize int
	switch {
	case version >= 5:
		b.u8() // unit type
		addrSize = int(b.u8())
		abbrevOff = int(b.u32())
	case version >= 2:
		abbrevOff = int(b.u32())
		addrSize = int(b.u8())
	default:
		return nil, false
	}
	abbrevs := readAbbrevs(abbrev, abbrevOff)
	if abbrevs == nil || b.bad || addrSize != 8 && addrSize != 4 {
		return nil, false
	}
	idx := map[uint64]dwarf.Offset{}
	depth := 0
	addrBase := -1
	for b.off < len(b.data) && !b.bad {
		at := b.off
		code := b.uleb()
		if code == 0 {
			if depth--; depth <= 0 {
				return idx, true // end of the unit's children
			}
			continue
		}
		a := abbrevs[code]
		if a == nil {
			return nil, false
		}
		want := depth == 1 && a.tag == dwarf.TagSubprogram
		for _, f := range a.attrs {
			switch {
			case depth == 0 && f.attr == dwarf.AttrAddrBase && (f.form == formSecOffset || f.form == formData4):
				addrBase = int(b.u32())
			case want && f.attr == dwarf.AttrLowpc:
				low, ok := b.lowpc(f.form, addrSize, addrs, addrBase)
				if !ok {
					return nil, false
				}
				if _, dup := idx[low]; !dup {
					idx[low] = dwarf.Offset(at)
				}
			default:
				if !b.skip(f.form, addrSize) {
					return nil, false
				}
			}
		}
		if a.children {
			depth++
		}
	}
	return idx, !b.bad && depth <= 0
}

// lowpc reads a low_pc value: an address, or an index into .debug_addr
// from the unit's addr_base.
func (b *scanBuf) lowpc(form uint64, addrSize int, addrs []byte, base int) (uint64, bool) {
	var idx uint64
	switch form {
	case formAddr:
		v := b.addr(addrSize)
		return v, !b.bad
	case formAddrx, formUdata:
		idx = b.uleb()
	case formAddrx1:
		idx = uint64(b.u8())
	case formAddrx2:
		idx = uint64(b.u16())
	case formAddrx4:
		idx = uint64(b.u32())
	default:
		return 0, false
	}
	if b.bad || base < 0 || idx > uint64(len(addrs)) {
		return 0, false
	}
	a := scanBuf{data: addrs, off: base + int(idx)*addrSize}
	if a.off < 0 || a.off > len(addrs) {
		return 0, false
	}
	v := a.addr(addrSize)
	return v, !a.bad
}

// scanBuf reads little-endian DWARF; bad records a read past the end.
type scanBuf struct {
	data []byte
	off  int
	bad  bool
}

func (b *scanBuf) need(n int) bool {
	if n < 0 || b.off+n > len(b.data) {
		b.bad, b.off = true, len(b.data)
		return false
	}
	return true
}

func (b *scanBuf) u8() uint8 {
	if !b.need(1) {
		return 0
	}
	b.off++
	return b.data[b.off-1]
}

func (b *scanBuf) u16() uint16 {
	if !b.need(2) {
		return 0
	}
	b.off += 2
	return binary.LittleEndian.Uint16(b.data[b.off-2:])
}

func (b *scanBuf) u32() uint32 {
	if !b.need(4) {
		return 0
	}
	b.off += 4
	return binary.LittleEndian.Uint32(b.data[b.off-4:])
}

func (b *scanBuf) addr(size int) uint64 {
	if size == 4 {
		return uint64(b.u32())
	}
	if !b.need(8) {
		return 0
	}
	b.off += 8
	return binary.LittleEndian.Uint64(b.data[b.off-8:])
}

func (b *scanBuf) uleb() uint64 {
	var v uint64
	for shift := uint(0); ; shift += 7 {
		c := b.u8()
		if b.bad {
			return 0
		}
		if shift < 64 {
			v |= uint64(c&0x7f) << shift
		}
		if c&0x80 == 0 {
			return v
		}
	}
}

func (b *scanBuf) sleb() { b.uleb() }

// skip steps over a value of the given form; false for a form it does
// not know.
func (b *scanBuf) skip(form uint64, addrSize int) bool {
	n := 0
	switch form {
	case formFlagPresent, formImplicit:
	case formData1, formRef1, formFlag, formStrx1, formAddrx1:
		n = 1
	case formData2, formRef2, formStrx2, formAddrx2:
		n = 2
	case formStrx3, formAddrx3:
		n = 3
	case formData4, formRef4, formStrp, formLineStrp, formSecOffset, formRefAddr, formStrx4, formAddrx4:
		n = 4
	case formData8, formRef8, formRefSig8:
		n = 8
	case formData16:
		n = 16
	case formAddr:
		n = addrSize
	case formUdata, formSdata, formRefUdata, formStrx, formAddrx, formLoclistx, formRnglistx:
		b.uleb()
	case formString:
		for b.off < len(b.data) && b.data[b.off] != 0 {
			b.off++
		}
		n = 1
	case formBlock1:
		n = int(b.u8())
	case formBlock2:
		n = int(b.u16())
	case formBlock4:
		n = int(b.u32())
	case formBlock, formExprloc:
		n = int(b.uleb())
	case formIndirect:
		return b.skip(b.uleb(), addrSize)
	default:
		return false
	}
	if n > 0 && b.need(n) {
		b.off += n
	}
	return !b.bad
}
