package output

import (
	"math"
	"strconv"
)

// appendFloat formats a float with glibc's printf semantics for the
// conversions f F e E g G a A: flags `-+ #0`, width and precision (6 when
// none; %a then prints every digit the value needs). A float32 is widened
// to double as C's varargs widen it. An argument of another kind (a type
// error the checker reports) is formatted as its integer value.
func appendFloat(dst []byte, sp *Spec, v *Value) []byte {
	var f float64
	if v.Kind == Float {
		f = v.Float()
	} else {
		f = float64(v.Int64())
	}
	conv := sp.Conv[0]
	upper := conv >= 'A' && conv <= 'Z'
	var tmp [64]byte
	var body []byte
	var prefix string // "0x" of %a, between the sign and zero padding
	finite := !math.IsNaN(f) && !math.IsInf(f, 0)
	a := math.Abs(f)
	switch {
	case math.IsNaN(f):
		body = append(tmp[:0], "nan"...)
	case !finite:
		body = append(tmp[:0], "inf"...)
	case conv == 'f' || conv == 'F':
		body = appendFixed(tmp[:0], a, precOr(sp.Prec, 6), sp.Hash)
	case conv == 'e' || conv == 'E':
		body = appendExp(tmp[:0], a, precOr(sp.Prec, 6), sp.Hash)
	case conv == 'g' || conv == 'G':
		body = appendShortest(tmp[:0], a, sp.Prec, sp.Hash)
	default: // 'a', 'A'
		prefix = "0x"
		body = appendHexFloat(tmp[:0], a, sp.Prec, sp.Hash)
	}
	if upper {
		for i, c := range body {
			if c >= 'a' && c <= 'z' {
				body[i] = c - 'a' + 'A'
			}
		}
		if prefix != "" {
			prefix = "0X"
		}
	}
	sign := ""
	switch {
	case math.Signbit(f): // glibc prints the sign of a NaN too ("-nan")
		sign = "-"
	case sp.Plus:
		sign = "+"
	case sp.Space:
		sign = " "
	}
	pad := sp.Width - len(sign) - len(prefix) - len(body)
	zeros := 0
	if sp.Zero && !sp.Minus && finite && pad > 0 {
		zeros, pad = pad, 0
	}
	if !sp.Minus {
		dst = appendRepeat(dst, ' ', pad)
	}
	dst = append(dst, sign...)
	dst = append(dst, prefix...)
	dst = appendRepeat(dst, '0', zeros)
	dst = append(dst, body...)
	if sp.Minus {
		dst = appendRepeat(dst, ' ', pad)
	}
	return dst
}

func precOr(prec, def int) int {
	if prec < 0 {
		return def
	}
	return prec
}

// appendFixed is %f of a ≥ 0; '#' keeps the point when prec is 0.
func appendFixed(dst []byte, a float64, prec int, hash bool) []byte {
	dst = strconv.AppendFloat(dst, a, 'f', prec, 64)
	if hash && prec == 0 {
		dst = append(dst, '.')
	}
	return dst
}

// appendExp is %e of a ≥ 0 (at least two exponent digits, as in C); '#'
// keeps the point when prec is 0.
func appendExp(dst []byte, a float64, prec int, hash bool) []byte {
	start := len(dst)
	dst = strconv.AppendFloat(dst, a, 'e', prec, 64)
	if hash && prec == 0 {
		dst = insertByte(dst, start+1, '.')
	}
	return dst
}

// appendShortest is C's %g of a ≥ 0: with P significant digits (prec, 6
// when none, 1 when 0) and X the exponent %e would print, %f with P-1-X
// decimals when -4 ≤ X < P, else %e with P-1; then, without '#', trailing
// zeros and a trailing point go.
func appendShortest(dst []byte, a float64, prec int, hash bool) []byte {
	p := precOr(prec, 6)
	if p == 0 {
		p = 1
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, a, 'e', p-1, 64)
	x := 0
	if a != 0 {
		x = expOf(dst[start:])
	}
	if x >= -4 && x < p {
		dst = strconv.AppendFloat(dst[:start], a, 'f', p-1-x, 64)
	}
	num := dst[start:]
	mant := len(num) // the mantissa ends at the 'e', if any
	for i, c := range num {
		if c == 'e' {
			mant = i
		}
	}
	point := -1
	for i, c := range num[:mant] {
		if c == '.' {
			point = i
		}
	}
	if hash {
		if point < 0 {
			dst = insertByte(dst, start+mant, '.')
		}
		return dst
	}
	if point < 0 {
		return dst
	}
	end := mant
	for end > point+1 && num[end-1] == '0' {
		end--
	}
	if end == point+1 {
		end = point
	}
	n := copy(num[end:], num[mant:])
	return dst[:start+end+n]
}

// expOf reads the exponent of a number strconv formatted with 'e'.
func expOf(num []byte) int {
	for i, c := range num {
		if c == 'e' {
			x, _ := strconv.Atoi(string(num[i+1:]))
			return x
		}
	}
	return 0
}

func insertByte(b []byte, i int, c byte) []byte {
	b = append(b, 0)
	copy(b[i+1:], b[i:])
	b[i] = c
	return b
}

// appendHexFloat is glibc's %a of a ≥ 0 without the "0x": the leading
// digit is 1 for normal numbers, 0 for subnormals (exponent -1022) and
// zero; the 13 hex digits of the fraction follow, rounded half to even to
// prec digits (all but trailing zeros when prec < 0), and a carry may turn
// the leading digit into 2. The exponent has as many digits as it needs.
func appendHexFloat(dst []byte, a float64, prec int, hash bool) []byte {
	const hexDigits = "0123456789abcdef"
	bits := math.Float64bits(a)
	frac := bits & (1<<52 - 1)
	exp := int(bits>>52) - 1023
	lead := uint64(1)
	switch {
	case bits == 0:
		lead, exp = 0, 0
	case bits>>52 == 0:
		lead, exp = 0, -1022
	}
	n := prec
	if n < 0 {
		n = 13
		for n > 0 && frac>>(4*(13-n))&15 == 0 {
			n--
		}
	}
	if n < 13 {
		shift := uint(4 * (13 - n))
		rest := frac & (1<<shift - 1)
		frac >>= shift
		half := uint64(1) << (shift - 1)
		if rest > half || rest == half && (frac|lead<<(4*n))&1 == 1 {
			frac++
			if n == 0 || frac>>(4*n) != 0 {
				lead++
				frac &= 1<<(4*n) - 1
			}
		}
	}
	dst = append(dst, hexDigits[lead])
	if n > 0 || hash {
		dst = append(dst, '.')
	}
	for i := 0; i < n; i++ {
		d := 0
		if i < 13 {
			s := 4 * (min(n, 13) - 1 - i)
			d = int(frac >> uint(s) & 15)
		}
		dst = append(dst, hexDigits[d])
	}
	dst = append(dst, 'p')
	if exp >= 0 {
		dst = append(dst, '+')
	}
	return strconv.AppendInt(dst, int64(exp), 10)
}
