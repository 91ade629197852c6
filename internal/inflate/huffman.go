package inflate

import (
	"math/bits"
	"sync"
)

// tableBits is how many input bits the first-level lookup resolves;
// longer codes (rare by construction) are decoded canonically bit by bit.
const tableBits = 10

const maxCodeLen = 15

// huffman is one canonical Huffman code.
type huffman struct {
	// table maps the next tableBits input bits to the entry of the
	// symbol whose code they start with (see entry), or 0 when the code
	// is longer than tableBits or unused.
	table   [1 << tableBits]uint32
	count   [maxCodeLen + 1]uint16 // codes of each length
	symbols [320]uint16            // symbols ordered by code
	info    *[320]uint32           // what each symbol's entry holds besides its length
}

// A table entry: the code's length in bits 0-3, a kind in bits 8-9, the
// number of extra bits in bits 4-7 and a value in bits 16-31: the byte of
// a literal, the base of a match length or distance, or the symbol itself
// for code length codes.
const (
	kindLiteral = 0 << 8
	kindLength  = 1 << 8
	kindEnd     = 2 << 8
	kindInvalid = 3 << 8
	kindMask    = 3 << 8
)

// Symbol information of the three alphabets.
var litInfo, distInfo, symInfo [320]uint32

func init() {
	for i := range litInfo {
		switch {
		case i < 256:
			litInfo[i] = kindLiteral | uint32(i)<<16
		case i == 256:
			litInfo[i] = kindEnd
		case i < 257+29:
			litInfo[i] = kindLength | uint32(lenExtra[i-257])<<4 | uint32(lenBase[i-257])<<16
		default:
			litInfo[i] = kindInvalid
		}
		switch {
		case i < 30:
			distInfo[i] = uint32(dstExtra[i])<<4 | dstBase[i]<<16
		default:
			distInfo[i] = kindInvalid
		}
		symInfo[i] = uint32(i) << 16
	}
}

// build makes the code for the given code lengths (0: symbol unused). An
// over-subscribed set is corrupt; an incomplete one is accepted only when
// it is empty or a single one-bit code, as zlib and compress/flate do.
func (h *huffman) build(lengths []uint8, info *[320]uint32) error {
	h.info = info
	h.count = [maxCodeLen + 1]uint16{}
	maxLen := 0
	for _, l := range lengths {
		h.count[l]++
		maxLen = max(maxLen, int(l))
	}
	h.count[0] = 0
	left := 1
	for l := 1; l <= maxCodeLen; l++ {
		left = left<<1 - int(h.count[l])
		if left < 0 {
			return corrupt("over-subscribed Huffman code")
		}
	}
	if left > 0 && maxLen > 1 {
		return corrupt("incomplete Huffman code")
	}
	var offs [maxCodeLen + 2]uint16
	for l := 1; l <= maxCodeLen; l++ {
		offs[l+1] = offs[l] + h.count[l]
	}
	for s, l := range lengths {
		if l != 0 {
			h.symbols[offs[l]] = uint16(s)
			offs[l]++
		}
	}
	clear(h.table[:])
	code, i := 0, 0
	for l := 1; l <= min(maxLen, tableBits); l++ {
		for k := 0; k < int(h.count[l]); k++ {
			sym := h.symbols[i]
			i++
			rev := int(bits.Reverse16(uint16(code)) >> (16 - l))
			e := info[sym] | uint32(l)
			for j := rev; j < len(h.table); j += 1 << l {
				h.table[j] = e
			}
			code++
		}
		code <<= 1
	}
	return nil
}

// slow decodes a code longer than tableBits (or an unused one) from the
// bit buffer, which holds at least maxCodeLen bits. It returns the
// symbol's entry, or 0 for an invalid code.
func (h *huffman) slow(b uint64) uint32 {
	code, first, index := 0, 0, 0
	for l := 1; l <= maxCodeLen; l++ {
		code |= int(b & 1)
		b >>= 1
		count := int(h.count[l])
		if code-first < count {
			return h.info[h.symbols[index+code-first]] | uint32(l)
		}
		index += count
		first = (first + count) << 1
		code <<= 1
	}
	return 0
}

// decode reads one code length code; the bit buffer must hold
// maxCodeLen bits.
func (d *Decoder) decode(h *huffman) (uint16, error) {
	e := h.table[d.bits&(1<<tableBits-1)]
	if e&15 == 0 {
		if e = h.slow(d.bits); e == 0 {
			return 0, corrupt("invalid Huffman code")
		}
	}
	l := uint(e & 15)
	d.bits >>= l
	d.nbits -= l
	return uint16(e >> 16), nil
}

// fixedTables installs the fixed codes of block type 1.
func (d *Decoder) fixedTables() {
	fixedOnce.Do(func() {
		var l [288 + 32]uint8
		for i := range 288 {
			switch {
			case i < 144:
				l[i] = 8
			case i < 256:
				l[i] = 9
			case i < 280:
				l[i] = 7
			default:
				l[i] = 8
			}
		}
		for i := 288; i < len(l); i++ {
			l[i] = 5
		}
		fixed.lit.build(l[:288], &litInfo)
		fixed.dist.build(l[288:], &distInfo)
	})
	d.lit, d.dist = fixed.lit, fixed.dist
}

var (
	fixed     struct{ lit, dist huffman }
	fixedOnce sync.Once
)

// codeOrder is the order in which code length code lengths are sent.
var codeOrder = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

// dynamicTables reads the code lengths of a block of type 2.
func (d *Decoder) dynamicTables() error {
	nlit := int(d.getBits(5)) + 257
	ndist := int(d.getBits(5)) + 1
	nclen := int(d.getBits(4)) + 4
	if nlit > 286 || ndist > 30 {
		return corrupt("too many length or distance codes")
	}
	var lens [19]uint8
	for i := range nclen {
		lens[codeOrder[i]] = uint8(d.getBits(3))
	}
	var cl huffman
	if err := cl.build(lens[:], &symInfo); err != nil {
		return err
	}
	var all [286 + 30]uint8
	for i := 0; i < nlit+ndist; {
		if d.nbits < 32 {
			d.refill()
		}
		sym, err := d.decode(&cl)
		if err != nil {
			return err
		}
		if sym < 16 {
			all[i] = uint8(sym)
			i++
			continue
		}
		var rep int
		var val uint8
		switch sym {
		case 16:
			if i == 0 {
				return corrupt("repeat with no previous length")
			}
			val, rep = all[i-1], 3+int(d.getBits(2))
		case 17:
			rep = 3 + int(d.getBits(3))
		default:
			rep = 11 + int(d.getBits(7))
		}
		if i+rep > nlit+ndist {
			return corrupt("code lengths repeat past their end")
		}
		for ; rep > 0; rep-- {
			all[i] = val
			i++
		}
	}
	if all[256] == 0 {
		return corrupt("no end-of-block code")
	}
	if err := d.lit.build(all[:nlit], &litInfo); err != nil {
		return err
	}
	return d.dist.build(all[nlit:nlit+ndist], &distInfo)
}
