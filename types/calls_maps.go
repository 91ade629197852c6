package types

import (
	"github.com/gobpftrace/gobpftrace/ast"
)

// The calls that make or name maps: the aggregations (count, sum, min,
// max, avg, stats, hist, lhist) and delete, clear and zero.

var aggKinds = map[string]Kind{
	"count": Count, "sum": Sum, "min": Min, "max": Max, "avg": Avg,
	"stats": Stats, "hist": Hist, "lhist": Lhist,
}

func (c *checker) aggregation(e *ast.Call, u use) *Type {
	kind := aggKinds[e.Name]
	c.wantMap(e, u)
	ts := c.args(e)
	t := &Type{Kind: kind, Size: 8}
	switch kind {
	case Count:
		c.nargs(e, 0)
	case Lhist:
		if c.nargs(e, 4) {
			c.argKind(e, ts, 0, Int)
			if c.literal(e, 1, Int) && c.literal(e, 2, Int) && c.literal(e, 3, Int) {
				c.lhistBounds(e)
			}
		}
	default:
		if c.nargs(e, 1) && c.argKind(e, ts, 0, Int) {
			t.Signed = ts[0].Signed && (kind == Sum || kind == Min || kind == Max)
		}
	}
	return t
}

func (c *checker) lhistBounds(e *ast.Call) {
	lo := int64(e.Args[1].(*ast.Int).Value)
	hi := int64(e.Args[2].(*ast.Int).Value)
	step := int64(e.Args[3].(*ast.Int).Value)
	if step <= 0 {
		c.errorf(e.Span, "lhist() step must be >= 1 (%d provided)", step)
	} else if n := (hi - lo) / step; n > 1000 {
		c.errorf(e.Span, "lhist() too many buckets, must be <= 1000 (would need %d)", n)
	}
	if lo < 0 {
		c.errorf(e.Span, "lhist() min must be non-negative (provided min %d)", lo)
	}
	if lo > hi {
		c.errorf(e.Span, "lhist() min must be less than max (provided min %d and max %d)", lo, hi)
	}
	if step > 0 && hi-lo < step {
		c.errorf(e.Span, "lhist() step is too large for the given range (provided step %d for range %d)", step, hi-lo)
	}
}

// mapFunc checks delete, clear and zero, which name a map.
func (c *checker) mapFunc(e *ast.Call, u use, ci *CallInfo) *Type {
	c.wantNoAssign(e, u)
	hi := 1
	if e.Name == "delete" {
		hi = 2 // delete(@m, key) as well as delete(@m[key])
	}
	var mp *ast.Map
	if len(e.Args) > 0 {
		mp, _ = e.Args[0].(*ast.Map)
	}
	if mp == nil {
		c.args(e)
		if c.varargs(e, 1, hi) {
			c.errorf(e.Span, "%s() expects a map to be provided", e.Name)
		}
		return TypeNone
	}
	if !c.varargs(e, 1, hi) {
		c.args(e)
		return TypeNone
	}
	ci.Map = mp.Name
	mi := c.mapInfo(mp)
	if e.Name != "delete" {
		if len(mp.Keys) > 0 {
			c.mapKeys(mp, false)
			c.errorf(e.Span, "The map passed to %s() should not be indexed by a key", e.Name)
		}
	} else if len(e.Args) == 2 {
		if len(mp.Keys) > 0 {
			c.mapKeys(mp, false)
			c.errorf(e.Span, "delete() expects a map without a key when the key is a second argument")
		} else {
			key := &ast.Map{Span: mp.Span, Name: mp.Name, Keys: e.Args[1:]}
			c.mapKeys(key, true)
			c.record(e.Args[1], c.info.TypeOf(e.Args[1]))
		}
	} else {
		c.mapKeys(mp, true)
	}
	if mi.Value.IsNone() {
		c.errorf(mp.Span, "Undefined map: %s", mapName(mp))
	}
	c.record(mp, mi.Value)
	return TypeNone
}
