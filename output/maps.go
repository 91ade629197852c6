package output

import (
	"bytes"
	"io"
	"sort"
)

// Map is one bpftrace map as read at print time.
//
// Kind says how the map's values were made: Count, Sum, Min, Max, Avg,
// Stats, Hist or Lhist for the aggregation functions, otherwise the kind of
// a plain assigned value (Integer, String, Tuple, Ustack, ...).
type Map struct {
	Name    string // with its '@'
	Kind    Kind
	Lhist   LhistParams // for Kind Lhist
	Entries []Entry
}

// Entry is one key of a map and its value.
type Entry struct {
	Keys []Value // nil for a map without keys (@x = 1)
	// Value is the value of a plain, Count, Sum, Min or Max map. Count is
	// an unsigned 64-bit Integer, Sum and Min signed, Max unsigned, as in
	// bpftrace 0.17.
	Value Value
	// Count and Total are an Avg or Stats entry's accumulators.
	Count, Total int64
	// Buckets are a Hist entry's HistBuckets counts (see HistIndex) or an
	// Lhist entry's LhistBuckets counts (see LhistIndex).
	Buckets []uint64
}

// PrintOptions are print()'s optional arguments: Top keeps only the last
// Top entries after sorting (0: all); Div divides the values (0 means 1).
type PrintOptions struct {
	Top, Div uint32
}

// isValueSorted reports whether bpftrace sorts the map by value.
func (m *Map) isValueSorted() bool {
	switch m.Kind {
	case Count, Sum, Min, Max, Integer:
		return true
	}
	return false
}

// sorted returns the entries in bpftrace 0.17's print order.
//
// Integer-valued maps sort by value (ties: bpftrace keeps the kernel's hash
// order, which we cannot know; we break them by key). Hist and Lhist maps
// sort by total count, Avg and Stats by average, ties broken by the keys'
// raw bytes as bpftrace's std::map orders them. Other maps sort by key:
// integers as unsigned, strings bytewise, other key types not at all.
func (m *Map) sorted() []*Entry {
	es := make([]*Entry, len(m.Entries))
	for i := range m.Entries {
		es[i] = &m.Entries[i]
	}
	switch m.Kind {
	case Hist, Lhist:
		sort.SliceStable(es, func(i, j int) bool { return rawKeyLess(es[i].Keys, es[j].Keys) })
		sort.SliceStable(es, func(i, j int) bool { return totalCount(es[i]) < totalCount(es[j]) })
	case Avg, Stats:
		sort.SliceStable(es, func(i, j int) bool { return rawKeyLess(es[i].Keys, es[j].Keys) })
		sort.SliceStable(es, func(i, j int) bool { return es[i].average() < es[j].average() })
	default:
		sort.SliceStable(es, func(i, j int) bool { return keyLess(es[i].Keys, es[j].Keys) })
		if m.isValueSorted() {
			sort.SliceStable(es, func(i, j int) bool { return valueLess(&es[i].Value, &es[j].Value) })
		}
	}
	return es
}

func totalCount(e *Entry) uint64 {
	var n uint64
	for _, c := range e.Buckets {
		n += c
	}
	return n
}

func (e *Entry) average() int64 {
	if e.Count == 0 {
		return 0
	}
	return e.Total / e.Count
}

func valueLess(a, b *Value) bool {
	if a.Signed {
		return a.Int64() < b.Int64()
	}
	return uint64(a.Int64()) < uint64(b.Int64())
}

// keyLess is bpftrace's sort_by_key: key by key, integers unsigned in
// their width, strings bytewise to the first NUL, other kinds equal.
func keyLess(a, b []Value) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		x, y := &a[i], &b[i]
		switch x.Kind {
		case Integer:
			xu, yu := x.Bits, y.Bits
			if x.size() == 4 {
				xu, yu = uint64(uint32(xu)), uint64(uint32(yu))
			}
			if xu != yu {
				return xu < yu
			}
		case String:
			if c := bytes.Compare(cstr(x.Bytes), cstr(y.Bytes)); c != 0 {
				return c < 0
			}
		}
	}
	return false
}

// rawKeyLess compares keys as memcmp compares their BPF encodings:
// integers little-endian, strings NUL-padded.
func rawKeyLess(a, b []Value) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		x, y := &a[i], &b[i]
		switch x.Kind {
		case String, Buffer:
			if c := bytes.Compare(x.Bytes, y.Bytes); c != 0 {
				return c < 0
			}
		default:
			for k := 0; k < x.size(); k++ {
				if bx, by := byte(x.Bits>>(8*k)), byte(y.Bits>>(8*k)); bx != by {
					return bx < by
				}
			}
		}
	}
	return false
}

// keep applies print()'s top: the last top entries of n.
func keep(es []*Entry, top uint32) []*Entry {
	if top > 0 && len(es) > int(top) {
		return es[len(es)-int(top):]
	}
	return es
}

// isStackLike reports the value kinds whose text ends in a newline, which
// bpftrace prints without a delimiter between entries.
func isStackLike(k Kind) bool {
	switch k {
	case Kstack, Ustack, Ksym, Usym, Inet:
		return true
	}
	return false
}

// AppendMap renders a map in bpftrace 0.17's text format, as print(@m) and
// the end-of-run dump do. An empty map prints an empty line.
func AppendMap(dst []byte, m *Map, opt PrintOptions) []byte {
	es := m.sorted()
	if m.Kind != Stats {
		es = keep(es, opt.Top)
	}
	delim := "\n"
	if isStackLike(m.Kind) {
		delim = ""
	}
	for i, e := range es {
		if i > 0 {
			dst = append(dst, delim...)
		}
		dst = append(dst, m.Name...)
		dst = appendKeys(dst, e.Keys)
		dst = append(dst, ": "...)
		switch m.Kind {
		case Hist:
			dst = appendHist(append(dst, '\n'), e.Buckets, opt.Div)
		case Lhist:
			dst = appendLhist(append(dst, '\n'), e.Buckets, m.Lhist)
		case Stats:
			dst = append(dst, "count "...)
			dst = appendInt64(dst, e.Count)
			dst = append(dst, ", average "...)
			dst = appendInt64(dst, e.average())
			dst = append(dst, ", total "...)
			dst = appendInt64(dst, e.Total)
		case Avg:
			dst = appendInt64(dst, e.average()/int64(divisor(opt.Div)))
		default:
			dst = appendText(dst, &e.Value, 8, divisor(opt.Div))
		}
	}
	dst = append(dst, '\n')
	if m.Kind == Avg || m.Kind == Stats {
		dst = append(dst, '\n')
	}
	return dst
}

func divisor(d uint32) uint32 {
	if d == 0 {
		return 1
	}
	return d
}

// WriteMap writes a map in bpftrace 0.17's text format.
func WriteMap(w io.Writer, m *Map) error {
	_, err := w.Write(AppendMap(nil, m, PrintOptions{}))
	return err
}

// WriteExit writes what bpftrace 0.17 prints when the run ends (Ctrl-C or
// exit()): two newlines, then every map in name order. With json set, the
// maps are NDJSON lines (empty maps print nothing); the two newlines stay.
func WriteExit(w io.Writer, maps []*Map, json bool) error {
	ms := append([]*Map(nil), maps...)
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].Name < ms[j].Name })
	dst := []byte("\n\n")
	for _, m := range ms {
		if json {
			dst = AppendMapJSON(dst, m, PrintOptions{})
		} else {
			dst = AppendMap(dst, m, PrintOptions{})
		}
	}
	_, err := w.Write(dst)
	return err
}
