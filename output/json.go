package output

import (
	"math"
	"strconv"
)

func appendInt64(dst []byte, n int64) []byte { return strconv.AppendInt(dst, n, 10) }

// AppendJSONString appends s quoted and escaped as bpftrace 0.17's
// json_escape does. Bytes from 0x80 up are signed chars there, so they come
// out as \uffffffXX: not valid JSON, but what bpftrace prints.
func AppendJSONString(dst []byte, s []byte) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for _, c := range s {
		switch {
		case c == '"':
			dst = append(dst, '\\', '"')
		case c == '\\':
			dst = append(dst, '\\', '\\')
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c == '\r':
			dst = append(dst, '\\', 'r')
		case c == '\t':
			dst = append(dst, '\\', 't')
		case c <= 0x1f:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		case c >= 0x80:
			dst = append(dst, "\\uffffff"...)
			dst = append(dst, hex[c>>4], hex[c&15])
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}

// AppendJSONMessage appends one NDJSON event with string data, such as
// {"type": "printf", "data": "text\n"}.
func AppendJSONMessage(dst []byte, typ string, msg []byte) []byte {
	dst = append(dst, `{"type": "`...)
	dst = append(dst, typ...)
	dst = append(dst, `", "data": `...)
	dst = AppendJSONString(dst, msg)
	return append(dst, "}\n"...)
}

// AppendJSONCount appends an event whose data is one named number, such as
// {"type": "attached_probes", "data": {"probes": 1}} or lost_events.
func AppendJSONCount(dst []byte, typ, field string, n uint64) []byte {
	dst = append(dst, `{"type": "`...)
	dst = append(dst, typ...)
	dst = append(dst, `", "data": {"`...)
	dst = append(dst, field...)
	dst = append(dst, `": `...)
	dst = strconv.AppendUint(dst, n, 10)
	return append(dst, "}}\n"...)
}

// AppendJSONValue appends the event print() of a non-map value makes:
// {"type": "value", "data": V}.
func AppendJSONValue(dst []byte, v *Value) []byte {
	dst = append(dst, `{"type": "value", "data": `...)
	dst = appendJSONText(dst, v, 1)
	return append(dst, "}\n"...)
}

// isQuoted is bpftrace 0.17's is_quoted_type.
func isQuoted(k Kind) bool {
	switch k {
	case Kstack, Ustack, Ksym, Usym, Inet, Username, String, Buffer, Probe:
		return true
	}
	return false
}

// appendJSONText renders a value as bpftrace's JsonOutput::value_to_str.
func appendJSONText(dst []byte, v *Value, div uint32) []byte {
	switch {
	case isGoKind(v.Kind):
		return appendGoJSON(dst, v)
	case isQuoted(v.Kind):
		var tmp [128]byte
		return AppendJSONString(dst, appendText(tmp[:0], v, 8, div))
	case v.Kind == Float:
		// JSON has no NaN or infinities: they become the strings
		// "NaN", "+Inf" and "-Inf".
		if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
			var tmp [8]byte
			return AppendJSONString(dst, appendFloatText(tmp[:0], v))
		}
		return appendFloatText(dst, v)
	case v.Kind == Tuple || v.Kind == Array:
		dst = append(dst, '[')
		for i := range v.Elems {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONText(dst, &v.Elems[i], div)
		}
		return append(dst, ']')
	case v.Kind == Record:
		dst = append(dst, '{')
		for i := range v.Elems {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = append(dst, '"')
			if i < len(v.Names) {
				dst = append(dst, v.Names[i]...)
			}
			dst = append(dst, `": `...)
			dst = appendJSONText(dst, &v.Elems[i], div)
		}
		return append(dst, '}')
	}
	return appendText(dst, v, 8, div)
}

// jsonType is the event type bpftrace gives a map's dump.
func jsonType(k Kind) string {
	switch k {
	case Hist, Lhist:
		return "hist"
	case Avg, Stats:
		return "stats"
	}
	return "map"
}

// AppendMapJSON renders a map as one `bpftrace -f json` line, such as
// {"type": "map", "data": {"@c": {"1": 1}}}. An empty map prints nothing.
func AppendMapJSON(dst []byte, m *Map, opt PrintOptions) []byte {
	if len(m.Entries) == 0 {
		return dst
	}
	es := m.sorted()
	if m.Kind != Stats {
		es = keep(es, opt.Top)
	}
	keyed := len(m.Entries[0].Keys) > 0
	dst = append(dst, `{"type": "`...)
	dst = append(dst, jsonType(m.Kind)...)
	dst = append(dst, `", "data": {`...)
	dst = AppendJSONString(dst, []byte(m.Name))
	dst = append(dst, ": "...)
	if keyed {
		dst = append(dst, '{')
	}
	div := divisor(opt.Div)
	for i, e := range es {
		if i > 0 {
			dst = append(dst, ", "...)
		}
		if len(e.Keys) > 0 {
			var tmp [64]byte
			k := tmp[:0]
			for j := range e.Keys {
				if j > 0 {
					k = append(k, ',')
				}
				k = appendKeyText(k, &e.Keys[j])
			}
			dst = AppendJSONString(dst, k)
			dst = append(dst, ": "...)
		}
		switch m.Kind {
		case Hist:
			dst = appendHistJSON(dst, e.Buckets, div)
		case Lhist:
			dst = appendLhistJSON(dst, e.Buckets, m.Lhist)
		case Stats:
			dst = append(dst, `{"count": `...)
			dst = appendInt64(dst, e.Count)
			dst = append(dst, `, "average": `...)
			dst = appendInt64(dst, e.average())
			dst = append(dst, `, "total": `...)
			dst = appendInt64(dst, e.Total)
			dst = append(dst, '}')
		case Avg:
			dst = appendInt64(dst, e.average()/int64(div))
		default:
			dst = appendJSONText(dst, &e.Value, div)
		}
	}
	if keyed {
		dst = append(dst, '}')
	}
	return append(dst, "}}\n"...)
}

// appendHistJSON renders hist buckets as [{"min": 4, "max": 7, "count": 1}].
// Bounds are computed in C int with x86 shift semantics, as bpftrace does.
func appendHistJSON(dst []byte, values []uint64, div uint32) []byte {
	first, last, _ := histRange(values)
	if last == -1 {
		return append(dst, "[]"...)
	}
	dst = append(dst, '[')
	for i := first; i <= last; i++ {
		if i > first {
			dst = append(dst, ", "...)
		}
		dst = append(dst, '{')
		switch i {
		case 0:
			dst = append(dst, `"max": -1, `...)
		case 1:
			dst = append(dst, `"min": 0, "max": 0, `...)
		case 2:
			dst = append(dst, `"min": 1, "max": 1, `...)
		default:
			lo := int32(1) << ((i - 2) & 31)
			hi := int32(1)<<((i-1)&31) - 1
			dst = appendMinMax(dst, int64(lo), int64(hi))
		}
		dst = append(dst, `"count": `...)
		dst = strconv.AppendUint(dst, values[i]/uint64(div), 10)
		dst = append(dst, '}')
	}
	return append(dst, ']')
}

func appendMinMax(dst []byte, lo, hi int64) []byte {
	dst = append(dst, `"min": `...)
	dst = appendInt64(dst, lo)
	dst = append(dst, `, "max": `...)
	dst = appendInt64(dst, hi)
	return append(dst, ", "...)
}

// appendLhistJSON renders lhist buckets; the outer ones have one bound.
func appendLhistJSON(dst []byte, values []uint64, p LhistParams) []byte {
	first, last, _ := lhistRange(values)
	if last == -1 {
		return append(dst, "[]"...)
	}
	min, step, buckets := int32(p.Min), int32(p.Step), p.buckets()
	dst = append(dst, '[')
	for i := first; i <= last; i++ {
		if i > first {
			dst = append(dst, ", "...)
		}
		dst = append(dst, '{')
		switch {
		case i == 0:
			dst = append(dst, `"max": `...)
			dst = appendInt64(dst, int64(min-1))
			dst = append(dst, ", "...)
		case i == buckets+1:
			dst = append(dst, `"min": `...)
			dst = appendInt64(dst, int64(int32(p.Max)))
			dst = append(dst, ", "...)
		default:
			dst = appendMinMax(dst, int64(int32(i-1)*step+min), int64(int32(i)*step+min-1))
		}
		dst = append(dst, `"count": `...)
		dst = strconv.AppendUint(dst, values[i], 10)
		dst = append(dst, '}')
	}
	return append(dst, ']')
}
