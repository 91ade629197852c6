// Package inflate decodes zlib (RFC 1950) and raw DEFLATE (RFC 1951)
// streams held in memory into one flat output buffer, a whole block at a
// time, so that a reader can stop as soon as it has the prefix it needs.
//
// It exists for one hot path: Go compresses its DWARF with zlib, and
// reading a function's parameters from a large Go binary means inflating
// megabytes of .debug_info before anything else can happen. compress/flate
// streams through a 32 KB window and reads its input a byte at a time
// through an interface; this decoder keeps the whole output as its window,
// refills a 64-bit bit buffer eight bytes at a time and resolves most
// Huffman codes with one table lookup, which makes it several times faster.
// Its results are checked against compress/flate by tests and a fuzz
// target.
package inflate

import (
	"encoding/binary"
	"errors"
	"hash/adler32"
)

// Errors returned by the decoder. A corrupt stream wraps ErrCorrupt.
var (
	ErrCorrupt    = errors.New("inflate: corrupt stream")
	ErrTruncated  = errors.New("inflate: unexpected end of stream")
	ErrTooLong    = errors.New("inflate: stream inflates past its limit")
	ErrChecksum   = errors.New("inflate: adler32 checksum mismatch")
	errBadZlibHdr = errors.New("inflate: not a zlib stream")
)

// Decoder inflates one stream held in memory.
type Decoder struct {
	in    []byte
	pos   int    // next byte of in to load; may pass len(in) by padding
	bits  uint64 // bit buffer, least significant bit first
	nbits uint   // valid bits in bits; bits above them are the next input bits or zero

	out   []byte // out[:n] is inflated; len(out) is the room available
	n     int
	limit int

	zlib  bool
	final bool // the final block has been decoded
	done  bool
	err   error

	lit, dist huffman
}

// NewZlib returns a decoder for a zlib stream. size is the expected
// inflated size (the output buffer is allocated once at that size and
// grown only if the stream is longer); limit bounds the output (0: no
// bound beyond the memory available).
func NewZlib(in []byte, size, limit int) (*Decoder, error) {
	if len(in) < 2 {
		return nil, ErrTruncated
	}
	cmf, flg := in[0], in[1]
	if cmf&0x0f != 8 || cmf>>4 > 7 || (uint(cmf)<<8|uint(flg))%31 != 0 || flg&0x20 != 0 {
		return nil, errBadZlibHdr
	}
	d := NewRaw(in[2:], size, limit)
	d.zlib = true
	return d, nil
}

// NewRaw returns a decoder for a raw DEFLATE stream; size and limit are
// as for NewZlib.
func NewRaw(in []byte, size, limit int) *Decoder {
	if size < 0 {
		size = 0
	}
	if limit > 0 && size > limit {
		size = limit
	}
	return &Decoder{in: in, out: make([]byte, size), limit: limit}
}

// Zlib inflates a whole zlib stream.
func Zlib(in []byte, size, limit int) ([]byte, error) {
	d, err := NewZlib(in, size, limit)
	if err != nil {
		return nil, err
	}
	return d.All()
}

// Bytes returns what has been inflated so far. The slice is valid until
// the next call that inflates more.
func (d *Decoder) Bytes() []byte { return d.out[:d.n] }

// Done reports whether the whole stream has been inflated (and, for
// zlib, its checksum verified).
func (d *Decoder) Done() bool { return d.done }

// All inflates the rest of the stream and returns the whole output.
func (d *Decoder) All() ([]byte, error) {
	err := d.Until(-1)
	return d.Bytes(), err
}

// Until inflates whole blocks until at least n bytes are out (n < 0: the
// whole stream) or the stream ends.
func (d *Decoder) Until(n int) error {
	for d.err == nil && !d.done && (n < 0 || d.n < n) {
		if d.final {
			d.err = d.finish()
			break
		}
		d.err = d.block()
	}
	return d.err
}

// finish checks the zlib trailer after the final block.
func (d *Decoder) finish() error {
	d.align()
	if d.zlib {
		if d.pos+4 > len(d.in) {
			return ErrTruncated
		}
		want := binary.BigEndian.Uint32(d.in[d.pos:])
		if adler32.Checksum(d.out[:d.n]) != want {
			return ErrChecksum
		}
		d.pos += 4
	}
	d.done = true
	return nil
}

// refill tops the bit buffer up to at least 56 bits. Past the end of the
// input it pads with zero bytes; overrun reports reading real bits there.
func (d *Decoder) refill() {
	if d.nbits >= 56 {
		return
	}
	if d.pos+8 <= len(d.in) {
		d.bits |= binary.LittleEndian.Uint64(d.in[d.pos:]) << d.nbits
		d.pos += int((63 - d.nbits) >> 3)
		d.nbits |= 56
		return
	}
	for d.nbits <= 56 {
		if d.pos < len(d.in) {
			d.bits |= uint64(d.in[d.pos]) << d.nbits
		}
		d.pos++
		d.nbits += 8
	}
}

// overrun reports whether bits past the end of the input were consumed.
func (d *Decoder) overrun() bool {
	return d.pos*8-int(d.nbits) > len(d.in)*8
}

// getBits consumes n (<= 32) bits.
func (d *Decoder) getBits(n uint) uint32 {
	if d.nbits < n {
		d.refill()
	}
	v := uint32(d.bits & (1<<n - 1))
	d.bits >>= n
	d.nbits -= n
	return v
}

// align drops the bits up to the next byte boundary and gives the whole
// bytes left in the bit buffer back to the input.
func (d *Decoder) align() {
	d.nbits -= d.nbits & 7
	d.pos -= int(d.nbits >> 3)
	d.bits, d.nbits = 0, 0
}

// block decodes one block.
func (d *Decoder) block() error {
	hdr := d.getBits(3)
	d.final = hdr&1 != 0
	var err error
	switch hdr >> 1 {
	case 0:
		err = d.stored()
	case 1:
		d.fixedTables()
		err = d.codes()
	case 2:
		if err = d.dynamicTables(); err == nil {
			err = d.codes()
		}
	default:
		err = corrupt("reserved block type")
	}
	if err == nil && d.overrun() {
		err = ErrTruncated
	}
	return err
}

// stored copies a stored block.
func (d *Decoder) stored() error {
	d.align()
	if d.pos+4 > len(d.in) {
		return ErrTruncated
	}
	ln := int(binary.LittleEndian.Uint16(d.in[d.pos:]))
	nln := int(binary.LittleEndian.Uint16(d.in[d.pos+2:]))
	if ln != ^nln&0xffff {
		return corrupt("stored block length check")
	}
	d.pos += 4
	if d.pos+ln > len(d.in) {
		return ErrTruncated
	}
	if err := d.room(ln); err != nil {
		return err
	}
	d.n += copy(d.out[d.n:], d.in[d.pos:d.pos+ln])
	d.pos += ln
	return nil
}

// room makes sure n more bytes fit in the output.
func (d *Decoder) room(n int) error {
	need := d.n + n
	if need <= len(d.out) {
		return nil
	}
	if d.limit > 0 && need > d.limit {
		return ErrTooLong
	}
	size := max(2*len(d.out), need, 4096)
	if d.limit > 0 {
		size = min(size, d.limit)
	}
	out := make([]byte, size)
	copy(out, d.out[:d.n])
	d.out = out
	return nil
}

func corrupt(why string) error {
	return &CorruptError{Why: why}
}

// CorruptError says what is wrong with a stream; it matches ErrCorrupt.
type CorruptError struct{ Why string }

func (e *CorruptError) Error() string        { return "inflate: corrupt stream: " + e.Why }
func (e *CorruptError) Is(target error) bool { return target == ErrCorrupt }
