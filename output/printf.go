package output

// Append renders the format with args onto dst the way bpftrace 0.17 does:
// each argument is formatted by glibc's snprintf with the part of the
// format that ends with its spec (so "%%" there prints '%'), and the text
// after the last spec is copied raw (so "%%" there prints "%%"). Integer
// arguments are 64-bit, as bpftrace promotes them: %d reads the low 32 bits
// as a C int, %hd 16, %hhd 8, %ld/%lld all 64. It allocates nothing beyond
// growing dst.
func (f *Format) Append(dst []byte, args []Value) []byte {
	n := len(f.specs)
	if len(args) < n {
		n = len(args)
	}
	for i := 0; i < n; i++ {
		dst = append(dst, f.pre[i]...)
		sp := &f.specs[i]
		switch {
		case !f.live[i]:
		case sp.Conv[0] == 'r' && (sp.Minus || sp.Zero || sp.Width >= 0 || sp.Prec >= 0):
			// bpftrace rewrites only a bare %r/%rx/%rh to %s; glibc prints
			// the unknown conversion %8r verbatim.
			dst = append(dst, f.src[sp.Start:sp.End]...)
		default:
			dst = appendSpec(dst, sp, &args[i])
		}
	}
	switch {
	case n == len(f.specs):
		dst = append(dst, f.tail...)
	default: // too few arguments: bpftrace prints the next part raw
		start := 0
		if n > 0 {
			start = f.specs[n-1].End
		}
		dst = append(dst, f.src[start:f.specs[n].End]...)
	}
	return dst
}

// Sprint is Append into a new string.
func (f *Format) Sprint(args ...Value) string { return string(f.Append(nil, args)) }

// appendSpec formats one argument with glibc semantics.
func appendSpec(dst []byte, sp *Spec, v *Value) []byte {
	if isFloatConv(sp.Conv) {
		return appendFloat(dst, sp, v)
	}
	switch sp.Conv {
	case "s":
		if v.Kind == String {
			return appendPadded(dst, sp, cstr(v.Bytes))
		}
		if v.isNumber() {
			break // a type error Check reports; print the number
		}
		var tmp [256]byte
		return appendPadded(dst, sp, appendText(tmp[:0], v, 8, 1))
	case "r", "rx", "rh":
		var tmp [256]byte
		b := appendHexBuffer(tmp[:0], v.Bytes, sp.Conv == "r", sp.Conv != "rh")
		return appendPadded(dst, sp, b)
	case "c":
		c := [1]byte{byte(v.Bits)}
		p := *sp
		p.Prec = -1
		return appendPadded(dst, &p, c[:])
	case "p":
		u := uint64(v.Int64())
		if u == 0 {
			p := *sp
			p.Prec = -1
			return appendPadded(dst, &p, []byte("(nil)"))
		}
		p := *sp
		p.Hash = true
		return appendInt(dst, &p, 'x', u, false)
	}
	bits, neg := uint64(v.Int64()), false
	signed := sp.Conv == "d"
	switch sp.Length {
	case "hh":
		if signed {
			bits = uint64(int64(int8(bits)))
		} else {
			bits = uint64(uint8(bits))
		}
	case "h":
		if signed {
			bits = uint64(int64(int16(bits)))
		} else {
			bits = uint64(uint16(bits))
		}
	case "":
		if signed {
			bits = uint64(int64(int32(bits)))
		} else {
			bits = uint64(uint32(bits))
		}
	}
	if signed && int64(bits) < 0 {
		bits, neg = -bits, true
	}
	return appendInt(dst, sp, sp.Conv[0], bits, neg)
}

// appendPadded writes s truncated to the precision and padded to the width
// with spaces (glibc ignores the '0' flag for %s and %c).
func appendPadded(dst []byte, sp *Spec, s []byte) []byte {
	if sp.Prec >= 0 && len(s) > sp.Prec {
		s = s[:sp.Prec]
	}
	pad := sp.Width - len(s)
	if !sp.Minus {
		dst = appendRepeat(dst, ' ', pad)
	}
	dst = append(dst, s...)
	if sp.Minus {
		dst = appendRepeat(dst, ' ', pad)
	}
	return dst
}

func appendRepeat(dst []byte, c byte, n int) []byte {
	for ; n > 0; n-- {
		dst = append(dst, c)
	}
	return dst
}

// appendInt formats the magnitude u (negative if neg) in the base of conv
// ('d', 'u', 'o', 'x' or 'X') with glibc's flags, width and precision.
func appendInt(dst []byte, sp *Spec, conv byte, u uint64, neg bool) []byte {
	var buf [24]byte
	i := len(buf)
	digits := "0123456789abcdef"
	if conv == 'X' {
		digits = "0123456789ABCDEF"
	}
	base := uint64(10)
	switch conv {
	case 'o':
		base = 8
	case 'x', 'X':
		base = 16
	}
	if !(u == 0 && sp.Prec == 0) {
		for {
			i--
			buf[i] = digits[u%base]
			u /= base
			if u == 0 {
				break
			}
		}
	}
	nd := len(buf) - i
	zeros := 0
	if sp.Prec > nd {
		zeros = sp.Prec - nd
	}
	if conv == 'o' && sp.Hash && zeros == 0 && (nd == 0 || buf[i] != '0') {
		zeros = 1
	}
	var prefix [2]byte
	np := 0
	switch {
	case neg:
		prefix[0], np = '-', 1
	case conv == 'd' && sp.Plus:
		prefix[0], np = '+', 1
	case conv == 'd' && sp.Space:
		prefix[0], np = ' ', 1
	case (conv == 'x' || conv == 'X') && sp.Hash && nd > 0 && !(nd == 1 && buf[i] == '0'):
		prefix[0], prefix[1], np = '0', conv, 2
	}
	pad := sp.Width - np - zeros - nd
	if sp.Zero && !sp.Minus && sp.Prec < 0 && pad > 0 {
		zeros += pad
		pad = 0
	}
	if !sp.Minus {
		dst = appendRepeat(dst, ' ', pad)
	}
	dst = append(dst, prefix[:np]...)
	dst = appendRepeat(dst, '0', zeros)
	dst = append(dst, buf[i:]...)
	if sp.Minus {
		dst = appendRepeat(dst, ' ', pad)
	}
	return dst
}
