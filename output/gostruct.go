package output

import "strconv"

// Go composites: a Go struct, array, slice, interface or pointer to a
// struct that print() (or printf's %s) shows as Go's %+v does. Their
// Values use the kinds below (none is a bpftrace 0.17 type); the leaves
// are Integer (decimal, in their width and sign), Float (shortest form,
// as %v), String (up to the first NUL), and GoBool, GoWord, GoMissing.
const (
	GoStruct  Kind = iota + Float + 1 // Elems with Names: {Units:1 Nanos:-10000000}; Bits the number of fields when Elems holds fewer: {A:1 ...}
	GoArray                           // Elems; Bits is the array's length when Elems holds fewer: [1 2 3 ...]
	GoSlice                           // Elems are len, cap, the array pointer, then the first elements read: [1 2 3], [1 2 ...]; with none read, [len=3 cap=4 0xc000012345]
	GoIface                           // Elems are the tab and data words: {tab:0x4b3a20 data:0xc000012345}, <nil> when tab is 0; Names[0], when set, the dynamic type: {type:*errors.errorString data:0xc000012345}
	GoRef                             // a pointer to a struct or array: Bits the address, Elems[0] the pointee: &{...}, <nil> when 0
	GoBool                            // Bits: true or false
	GoWord                            // a pointer, map, chan, func or unsafe.Pointer word: 0xc000012345, <nil> when 0
	GoMissing                         // a field that could not be read (a float in an X register): ?
)

var goKindNames = [...]string{"go struct", "go array", "go slice", "go interface", "go pointer", "go bool", "go word", "go missing"}

// goKindName names the Go kinds for Kind.String.
func goKindName(k Kind) (string, bool) {
	if k >= GoStruct && int(k-GoStruct) < len(goKindNames) {
		return goKindNames[k-GoStruct], true
	}
	return "", false
}

// isGoKind reports whether k is one of the Go composite kinds.
func isGoKind(k Kind) bool { _, ok := goKindName(k); return ok }

// appendGo renders a Go value as %+v does.
func appendGo(dst []byte, v *Value) []byte {
	switch v.Kind {
	case GoStruct:
		dst = append(dst, '{')
		for i := range v.Elems {
			if i > 0 {
				dst = append(dst, ' ')
			}
			if i < len(v.Names) {
				dst = append(dst, v.Names[i]...)
			}
			dst = append(dst, ':')
			dst = appendGo(dst, &v.Elems[i])
		}
		if v.Bits > uint64(len(v.Elems)) {
			dst = append(dst, " ..."...)
		}
		return append(dst, '}')
	case GoArray:
		dst = append(dst, '[')
		for i := range v.Elems {
			if i > 0 {
				dst = append(dst, ' ')
			}
			dst = appendGo(dst, &v.Elems[i])
		}
		if v.Bits > uint64(len(v.Elems)) {
			dst = append(dst, " ..."...)
		}
		return append(dst, ']')
	case GoSlice:
		if items, n, ok := sliceItems(v); ok {
			dst = append(dst, '[')
			for i := range items[:n] {
				if i > 0 {
					dst = append(dst, ' ')
				}
				dst = appendGo(dst, &items[i])
			}
			if v.Elems[0].Int64() > int64(n) { // longer than what was read
				if n > 0 {
					dst = append(dst, ' ')
				}
				dst = append(dst, "..."...)
			}
			return append(dst, ']')
		}
		if len(v.Elems) < 3 {
			return append(dst, '?')
		}
		dst = append(dst, "[len="...)
		dst = appendGo(dst, &v.Elems[0])
		dst = append(dst, " cap="...)
		dst = appendGo(dst, &v.Elems[1])
		dst = append(dst, ' ')
		dst = appendGo(dst, &v.Elems[2])
		return append(dst, ']')
	case GoIface:
		if len(v.Elems) != 2 {
			return append(dst, '?')
		}
		if v.Elems[0].Kind == GoWord && v.Elems[0].Bits == 0 {
			return append(dst, "<nil>"...)
		}
		if len(v.Names) == 1 && v.Names[0] != "" { // the dynamic type, named from the itab
			dst = append(append(dst, "{type:"...), v.Names[0]...)
		} else {
			dst = append(dst, "{tab:"...)
			dst = appendGoHex(dst, &v.Elems[0])
		}
		dst = append(dst, " data:"...)
		dst = appendGoHex(dst, &v.Elems[1])
		return append(dst, '}')
	case GoRef:
		if v.Bits == 0 || len(v.Elems) != 1 {
			return appendGoWord(dst, v.Bits)
		}
		return appendGo(append(dst, '&'), &v.Elems[0])
	case GoBool:
		return strconv.AppendBool(dst, v.Bits != 0)
	case GoWord:
		return appendGoWord(dst, v.Bits)
	case GoMissing:
		return append(dst, '?')
	case Integer:
		if v.Signed {
			return strconv.AppendInt(dst, v.Int64(), 10)
		}
		return strconv.AppendUint(dst, uint64(v.Int64()), 10)
	case Float:
		return appendFloatText(dst, v)
	case String:
		return append(dst, cstr(v.Bytes)...)
	}
	return appendText(dst, v, 8, 1)
}

// appendGoWord renders a pointer word as %v does: 0xc000012345, or <nil>.
func appendGoWord(dst []byte, w uint64) []byte {
	if w == 0 {
		return append(dst, "<nil>"...)
	}
	return strconv.AppendUint(append(dst, "0x"...), w, 16)
}

// appendGoHex renders a word in hex, 0x0 included.
func appendGoHex(dst []byte, v *Value) []byte {
	if v.Kind != GoWord {
		return appendGo(dst, v)
	}
	return strconv.AppendUint(append(dst, "0x"...), v.Bits, 16)
}

// appendGoJSON renders a Go value as JSON: structs as objects, arrays as
// arrays (of the elements read), strings as strings, bools as true and
// false, words as numbers (null for 0), a slice as {"len": 3, "cap": 4,
// "array": 824633794560}, an interface as {"tab": .., "data": ..} (null
// when nil), a pointer as its pointee (null when nil), and what could
// not be read as null.
func appendGoJSON(dst []byte, v *Value) []byte {
	switch v.Kind {
	case GoStruct:
		return appendGoObject(dst, v.Names, v.Elems)
	case GoArray:
		dst = append(dst, '[')
		for i := range v.Elems {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = appendGoJSON(dst, &v.Elems[i])
		}
		return append(dst, ']')
	case GoSlice:
		if items, n, ok := sliceItems(v); ok {
			dst = append(dst, '[')
			for i := range items[:n] {
				if i > 0 {
					dst = append(dst, ", "...)
				}
				dst = appendGoJSON(dst, &items[i])
			}
			return append(dst, ']')
		}
		if len(v.Elems) < 3 {
			return append(dst, "null"...)
		}
		return appendGoObject(dst, []string{"len", "cap", "array"}, v.Elems[:3])
	case GoIface:
		if len(v.Elems) != 2 || v.Elems[0].Kind == GoWord && v.Elems[0].Bits == 0 {
			return append(dst, "null"...)
		}
		if len(v.Names) == 1 && v.Names[0] != "" {
			dst = AppendJSONString(append(dst, `{"type": `...), []byte(v.Names[0]))
			dst = appendGoJSON(append(dst, `, "tab": `...), &v.Elems[0])
			dst = appendGoJSON(append(dst, `, "data": `...), &v.Elems[1])
			return append(dst, '}')
		}
		return appendGoObject(dst, []string{"tab", "data"}, v.Elems)
	case GoRef:
		if v.Bits == 0 || len(v.Elems) != 1 {
			return append(dst, "null"...)
		}
		return appendGoJSON(dst, &v.Elems[0])
	case GoBool:
		return strconv.AppendBool(dst, v.Bits != 0)
	case GoWord:
		if v.Bits == 0 {
			return append(dst, "null"...)
		}
		return strconv.AppendUint(dst, v.Bits, 10)
	case GoMissing:
		return append(dst, "null"...)
	case String:
		return AppendJSONString(dst, cstr(v.Bytes))
	}
	return appendJSONText(dst, v, 1)
}

func appendGoObject(dst []byte, names []string, elems []Value) []byte {
	dst = append(dst, '{')
	for i := range elems {
		if i > 0 {
			dst = append(dst, ", "...)
		}
		name := ""
		if i < len(names) {
			name = names[i]
		}
		dst = AppendJSONString(dst, []byte(name))
		dst = append(dst, ": "...)
		dst = appendGoJSON(dst, &elems[i])
	}
	return append(dst, '}')
}

// sliceItems returns the elements read of a GoSlice value (after its len,
// cap and array words) and how many of them the slice's length covers;
// ok is false when none were read (the slice prints as its header).
func sliceItems(v *Value) (items []Value, n int, ok bool) {
	if len(v.Elems) <= 3 {
		return nil, 0, false
	}
	items = v.Elems[3:]
	n = int(min(max(v.Elems[0].Int64(), 0), int64(len(items))))
	return items, n, true
}
