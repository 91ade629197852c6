package output

import "strconv"

// appendText renders a value as bpftrace 0.17's value_to_str does: strings
// unquoted, tuples "(1, abc)", arrays "[1,2]", records "{ .a = 1 }",
// stacks on their own lines indented by indent. Integers are divided by div
// (print()'s divisor) in their own width and signedness.
func appendText(dst []byte, v *Value, indent int, div uint32) []byte {
	if isGoKind(v.Kind) {
		return appendGo(dst, v)
	}
	switch v.Kind {
	case String:
		return append(dst, cstr(v.Bytes)...)
	case Buffer:
		return appendHexBuffer(dst, v.Bytes, true, true)
	case Kstack, Ustack:
		return appendStack(dst, v.Frames, indent)
	case Ksym, Usym, Probe, Username, Inet, Timestamp, MacAddress, CgroupPath, Strerror:
		return append(dst, v.Bytes...)
	case Tuple:
		dst = append(dst, '(')
		for i := range v.Elems {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = appendText(dst, &v.Elems[i], indent, div)
		}
		return append(dst, ')')
	case Array:
		dst = append(dst, '[')
		for i := range v.Elems {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendText(dst, &v.Elems[i], indent, div)
		}
		return append(dst, ']')
	case Float:
		return appendFloatText(dst, v)
	case Record:
		dst = append(dst, "{ "...)
		for i := range v.Elems {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = append(dst, '.')
			if i < len(v.Names) {
				dst = append(dst, v.Names[i]...)
			}
			dst = append(dst, " = "...)
			dst = appendText(dst, &v.Elems[i], indent, div)
		}
		return append(dst, " }"...)
	}
	return appendNumber(dst, v, div)
}

// appendFloatText prints a float the shortest way that reads back as the
// same float32 or float64 (Go's strconv 'g' with precision -1): 0.1,
// 1e+21, NaN, +Inf, -Inf.
func appendFloatText(dst []byte, v *Value) []byte {
	if v.Size == 4 {
		return strconv.AppendFloat(dst, v.Float(), 'g', -1, 32)
	}
	return strconv.AppendFloat(dst, v.Float(), 'g', -1, 64)
}

// appendNumber divides an integer by div in its own width and signedness,
// as bpftrace's value_to_str does, and prints it in decimal.
func appendNumber(dst []byte, v *Value, div uint32) []byte {
	if div == 0 {
		div = 1
	}
	if v.Kind == Pointer || v.Kind == None {
		return strconv.AppendInt(dst, int64(v.Bits)/int64(div), 10)
	}
	if v.Signed {
		n := v.Int64()
		switch v.size() {
		case 4:
			return strconv.AppendInt(dst, int64(int32(n)/int32(div)), 10)
		case 2:
			return strconv.AppendInt(dst, int64(int16(n)/int16(div)), 10)
		case 1:
			return strconv.AppendInt(dst, int64(int8(n)/int8(div)), 10)
		}
		return strconv.AppendInt(dst, n/int64(div), 10)
	}
	return strconv.AppendUint(dst, uint64(v.Int64())/uint64(div), 10)
}

// appendKeyText renders one map key as bpftrace 0.17's MapKey does:
// integers signed in their width whatever their type says, pointers in
// hex, stacks indented by 4.
func appendKeyText(dst []byte, v *Value) []byte {
	switch v.Kind {
	case Integer, Count, Sum, Min, Max, None:
		n := v.Bits
		switch v.size() {
		case 1:
			return strconv.AppendInt(dst, int64(int8(n)), 10)
		case 2:
			return strconv.AppendInt(dst, int64(int16(n)), 10)
		case 4:
			return strconv.AppendInt(dst, int64(int32(n)), 10)
		}
		return strconv.AppendInt(dst, int64(n), 10)
	case Pointer:
		dst = append(dst, "0x"...)
		return strconv.AppendUint(dst, v.Bits, 16)
	case Array:
		dst = append(dst, '[')
		for i := range v.Elems {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendKeyText(dst, &v.Elems[i])
		}
		return append(dst, ']')
	}
	return appendText(dst, v, 4, 1)
}

// appendKeys renders "[k1, k2]", or nothing for a map without keys.
func appendKeys(dst []byte, keys []Value) []byte {
	if len(keys) == 0 {
		return dst
	}
	dst = append(dst, '[')
	for i := range keys {
		if i > 0 {
			dst = append(dst, ", "...)
		}
		dst = appendKeyText(dst, &keys[i])
	}
	return append(dst, ']')
}

// AppendValue renders a value as print(value) and map values print it:
// strings unquoted, tuples "(1, abc)", stacks on their own lines indented
// by 8 spaces.
func AppendValue(dst []byte, v *Value) []byte { return appendText(dst, v, 8, 1) }
