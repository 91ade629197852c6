package inflate

import "encoding/binary"

// Base values and extra bits of length codes 257..285 and distance codes
// 0..29 (RFC 1951, 3.2.5).
var (
	lenBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lenExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	dstBase  = [30]uint32{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	dstExtra = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
)

// codes decodes the symbols of a Huffman-coded block up to its
// end-of-block code. The bit buffer and output index live in locals in
// the loop and are stored back on every exit.
func (d *Decoder) codes() error {
	bits, nbits, pos := d.bits, d.nbits, d.pos
	in, out, n := d.in, d.out, d.n
	lit, dist := &d.lit, &d.dist
	var err error
	for {
		// One length/distance pair needs at most 15+5+15+13 = 48 bits.
		if nbits < 48 {
			if pos+8 <= len(in) {
				bits |= binary.LittleEndian.Uint64(in[pos:]) << nbits
				pos += int((63 - nbits) >> 3)
				nbits |= 56
			} else {
				d.bits, d.nbits, d.pos = bits, nbits, pos
				if d.overrun() {
					err = ErrTruncated
					break
				}
				d.refill()
				bits, nbits, pos = d.bits, d.nbits, d.pos
			}
		}
		e := lit.table[bits&(1<<tableBits-1)]
		if e&15 == 0 {
			if e = lit.slow(bits); e == 0 {
				err = corrupt("invalid literal/length code")
				break
			}
		}
		bits >>= e & 15
		nbits -= uint(e & 15)
		if e&kindMask == kindLiteral {
			if n >= len(out) {
				d.n = n
				if err = d.room(1); err != nil {
					break
				}
				out = d.out
			}
			out[n] = byte(e >> 16)
			n++
			// Literals come in runs: while the buffer holds a whole
			// code, take the next one if it is a literal too.
			if e = lit.table[bits&(1<<tableBits-1)]; e&15 != 0 && e&kindMask == kindLiteral && n < len(out) {
				bits >>= e & 15
				nbits -= uint(e & 15)
				out[n] = byte(e >> 16)
				n++
			}
			continue
		}
		if e&kindMask != kindLength {
			if e&kindMask == kindInvalid {
				err = corrupt("invalid length code")
			}
			break // end of block
		}
		x := (e >> 4) & 15
		length := int(e>>16) + int(bits&(1<<x-1))
		bits >>= x
		nbits -= uint(x)

		e = dist.table[bits&(1<<tableBits-1)]
		if e&15 == 0 {
			if e = dist.slow(bits); e == 0 {
				err = corrupt("invalid distance code")
				break
			}
		}
		bits >>= e & 15
		nbits -= uint(e & 15)
		if e&kindMask != 0 {
			err = corrupt("invalid distance code")
			break
		}
		x = (e >> 4) & 15
		dst := int(e>>16) + int(bits&(1<<x-1))
		bits >>= x
		nbits -= uint(x)
		if dst > n {
			err = corrupt("distance before the start of the stream")
			break
		}
		if n+length > len(out) {
			d.n = n
			if err = d.room(length); err != nil {
				break
			}
			out = d.out
		}
		src := n - dst
		switch {
		case dst >= 8 && n+length+8 <= len(out):
			// Word at a time; overshooting writes are overwritten later
			// (there is room) and each word reads bytes already written.
			for k := 0; k < length; k += 8 {
				binary.LittleEndian.PutUint64(out[n+k:], binary.LittleEndian.Uint64(out[src+k:]))
			}
			n += length
		case dst >= length:
			copy(out[n:n+length], out[src:src+length])
			n += length
		case dst == 1:
			b := out[src]
			s := out[n : n+length]
			for i := range s {
				s[i] = b
			}
			n += length
		default:
			// Overlapping: each copy doubles the repeated run.
			for end := n + length; n < end; {
				n += copy(out[n:end], out[src:n])
			}
		}
	}
	d.bits, d.nbits, d.pos, d.n = bits, nbits, pos, n
	return err
}
