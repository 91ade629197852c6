package runtime

import (
	"encoding/binary"

	"github.com/gobpftrace/gobpftrace/codegen"
	"github.com/gobpftrace/gobpftrace/output"
	"github.com/gobpftrace/gobpftrace/types"
)

// minBias is codegen's min() encoding (bpftrace 0.17's): each CPU keeps the
// largest 0xffffffff-x; the value is 0xffffffff minus the largest of them.
const minBias = 0xffffffff

// decodeKeys sets e.Keys from the user part of a map key.
func (s *Session) decodeKeys(e *output.Entry, keyT *types.Type, key []byte) {
	if keyT == nil {
		return
	}
	e.Keys = make([]output.Value, len(keyT.Fields))
	for i, f := range keyT.Fields {
		b := key[f.Offset : f.Offset+f.Type.Size]
		if f.Type.Kind == types.Ustack || f.Type.Kind == types.Kstack {
			e.Keys[i] = s.stackKey(b, f.Type)
		} else {
			e.Keys[i] = s.value(b, f.Type)
		}
	}
}

// u64At reads the little-endian u64 at off of v, 0 when v is too short.
func u64At(v []byte, off int) uint64 {
	if len(v) < off+8 {
		return 0
	}
	return binary.LittleEndian.Uint64(v[off:])
}

// mergeAggregation merges the per-CPU values of a count, sum, min, max, avg
// or stats entry into e, as bpftrace 0.17 does: counters add up, max takes
// the largest unsigned value, min the largest (signed) biased value, avg
// and stats add their {count, total} pairs.
func mergeAggregation(e *output.Entry, t *types.Type, vals [][]byte) {
	switch t.Kind {
	case types.Min:
		var best int64
		for _, v := range vals {
			best = max(best, int64(u64At(v, 0)))
		}
		e.Value = output.Int(minBias - best)
	case types.Max:
		var best uint64
		for _, v := range vals {
			best = max(best, u64At(v, 0))
		}
		e.Value = output.Uint(best)
	case types.Avg, types.Stats:
		for _, v := range vals {
			e.Count += int64(u64At(v, 0))
			e.Total += int64(u64At(v, 8))
		}
	default:
		e.Value = mergePerCPU(t, vals)
	}
}

// histGroups collects a hist or lhist map's entries, one per bucket, into
// one bucket array per user key, in first-seen order.
type histGroups struct {
	off, n int // the bucket index's key offset; the bucket count
	groups map[string][]uint64
	order  []string
}

// newHistGroups returns the grouping for a hist or lhist map, else nil.
func newHistGroups(m *codegen.Map, om *output.Map) *histGroups {
	var n int
	switch om.Kind {
	case output.Hist:
		n = output.HistBuckets
	case output.Lhist:
		n = output.LhistBuckets(m.Lhist.Min, m.Lhist.Max, m.Lhist.Step)
	default:
		return nil
	}
	return &histGroups{off: codegen.BucketOffset(m.User), n: n, groups: map[string][]uint64{}}
}

// add counts one bucket's per-CPU values.
func (h *histGroups) add(key []byte, vals [][]byte) {
	if len(key) < h.off+8 {
		return
	}
	idx := binary.LittleEndian.Uint64(key[h.off:])
	if idx >= uint64(h.n) {
		return
	}
	g := string(key[:h.off])
	b := h.groups[g]
	if b == nil {
		b = make([]uint64, h.n)
		h.groups[g] = b
		h.order = append(h.order, g)
	}
	for _, v := range vals {
		b[idx] += u64At(v, 0)
	}
}
