package output

import "strconv"

// HistBuckets is the number of buckets of a hist() value in bpftrace 0.17.
const HistBuckets = 65

// LhistBuckets returns the number of buckets of an lhist(min, max, step)
// value: one below min, (max-min)/step in range, one at or above max.
func LhistBuckets(min, max, step int64) int {
	if step <= 0 {
		return 2
	}
	return int((max-min)/step) + 2
}

// HistIndex returns the bucket of v in a hist() value as bpftrace 0.17's
// log2 computes it: 0 for negative values, 1 for 0, and 2+k for
// [2^k, 2^(k+1)); its five shift steps (16, 8, 4, 2, 1) cap k at 31, so
// every value from 2^31 up lands in [2G, 4G).
func HistIndex(v int64) int {
	if v < 0 {
		return 0
	}
	if v == 0 {
		return 1
	}
	n, k := uint64(v), 0
	for i := 4; i >= 0; i-- {
		if n >= 1<<(1<<i) {
			n >>= 1 << i
			k += 1 << i
		}
	}
	return k + 2
}

// LhistIndex returns the bucket of v in an lhist(min, max, step) value.
func LhistIndex(v, min, max, step int64) int {
	switch {
	case v < min:
		return 0
	case v >= max || step <= 0:
		return LhistBuckets(min, max, step) - 1
	}
	return int((v-min)/step) + 1
}

// histLabel is bpftrace's hist_index_label: 2^power with K/M/G/T suffixes.
func histLabel(dst []byte, power int) []byte {
	suffix := byte(0)
	switch {
	case power >= 40:
		suffix, power = 'T', power-40
	case power >= 30:
		suffix, power = 'G', power-30
	case power >= 20:
		suffix, power = 'M', power-20
	case power >= 10:
		suffix, power = 'K', power-10
	}
	dst = strconv.AppendInt(dst, int64(int32(1)<<(power&31)), 10)
	if suffix != 0 {
		dst = append(dst, suffix)
	}
	return dst
}

// lhistLabel is bpftrace's lhist_index_label: K or M when exact.
func lhistLabel(dst []byte, n int32) []byte {
	switch {
	case n == 0:
		return append(dst, '0')
	case n%1048576 == 0:
		return append(strconv.AppendInt(dst, int64(n/1048576), 10), 'M')
	case n%1024 == 0:
		return append(strconv.AppendInt(dst, int64(n/1024), 10), 'K')
	}
	return strconv.AppendInt(dst, int64(n), 10)
}

// histRange returns the first and last non-zero bucket (-1 if none) and the
// largest count, truncated to a C int as bpftrace's hist_prepare does.
func histRange(values []uint64) (first, last int, max int32) {
	first, last = -1, -1
	for i, u := range values {
		v := int32(u)
		if v > 0 {
			if first == -1 {
				first = i
			}
			last = i
		}
		if v > max {
			max = v
		}
	}
	return first, last, max
}

// lhistRange is bpftrace's lhist_prepare: the first and last non-zero
// bucket among the buckets+2 of the value, or -1, -1 when all are zero.
func lhistRange(values []uint64) (first, last int, max int32) {
	first, last = -1, -1
	for i, u := range values {
		if v := int32(u); v > max {
			max = v
		}
		if int32(u) > 0 {
			if first == -1 {
				first = i
			}
			last = i
		}
	}
	return first, last, max
}

// appendBarLine writes one histogram line: label left-aligned in 16
// columns, count right-aligned in 8, and a bar of count/max*52 '@' computed
// in single precision as bpftrace does.
func appendBarLine(dst []byte, label []byte, shown uint64, raw uint64, max int32) []byte {
	dst = append(dst, label...)
	dst = appendRepeat(dst, ' ', 16-len(label))
	var num [20]byte
	n := strconv.AppendUint(num[:0], shown, 10)
	dst = appendRepeat(dst, ' ', 8-len(n))
	dst = append(dst, n...)
	dst = append(dst, " |"...)
	bar := 0
	if max > 0 {
		bar = int(float32(raw) / float32(max) * float32(52))
	}
	if bar > 52 {
		bar = 52 // only when a count overflowed bpftrace's int
	}
	dst = appendRepeat(dst, '@', bar)
	dst = appendRepeat(dst, ' ', 52-bar)
	return append(dst, "|\n"...)
}

// appendHist renders a hist() value's lines (empty if all buckets are 0).
func appendHist(dst []byte, values []uint64, div uint32) []byte {
	if div == 0 {
		div = 1
	}
	first, last, max := histRange(values)
	if last == -1 {
		return dst
	}
	var label []byte
	var lb [40]byte
	for i := first; i <= last; i++ {
		label = lb[:0]
		switch i {
		case 0:
			label = append(label, "(..., 0)"...)
		case 1:
			label = append(label, "[0]"...)
		case 2:
			label = append(label, "[1]"...)
		default:
			label = append(label, '[')
			label = histLabel(label, i-2)
			label = append(label, ", "...)
			label = histLabel(label, i-1)
			label = append(label, ')')
		}
		dst = appendBarLine(dst, label, values[i]/uint64(div), values[i], max)
	}
	return dst
}

// appendLhist renders an lhist() value's lines (empty if all are 0).
func appendLhist(dst []byte, values []uint64, p LhistParams) []byte {
	first, last, max := lhistRange(values)
	if last == -1 {
		return dst
	}
	min, step := int32(p.Min), int32(p.Step)
	buckets := p.buckets()
	var lb [48]byte
	for i := first; i <= last; i++ {
		label := lb[:0]
		switch {
		case i == 0:
			label = append(label, "(..., "...)
			label = lhistLabel(label, min)
			label = append(label, ')')
		case i == buckets+1:
			label = append(label, '[')
			label = lhistLabel(label, int32(p.Max))
			label = append(label, ", ...)"...)
		default:
			label = append(label, '[')
			label = lhistLabel(label, int32(i-1)*step+min)
			label = append(label, ", "...)
			label = lhistLabel(label, int32(i)*step+min)
			label = append(label, ')')
		}
		dst = appendBarLine(dst, label, values[i], values[i], max)
	}
	return dst
}

// LhistParams are the min, max and step arguments of lhist().
type LhistParams struct{ Min, Max, Step int64 }

func (p LhistParams) buckets() int {
	if p.Step <= 0 {
		return 0
	}
	return int(int32(p.Max-p.Min) / int32(p.Step))
}
