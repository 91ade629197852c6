package types

import (
	"strings"

	"github.com/gobpftrace/gobpftrace/ast"
)

// mapName spells a map as bpftrace does in messages: "@x", or "@".
func mapName(m *ast.Map) string { return "@" + m.Name }

// mapInfo returns the entry of map m, creating it (with an unknown value)
// on first use.
func (c *checker) mapInfo(m *ast.Map) *MapInfo {
	mi := c.maps[m.Name]
	if mi == nil {
		mi = &MapInfo{Name: m.Name, Value: TypeNone, First: m.Span}
		c.maps[m.Name] = mi
	}
	return mi
}

// mapKeys checks the keys of m and returns their types; integer keys are
// widened to 64 bits. With validate, the keys must match the map's earlier
// uses.
func (c *checker) mapKeys(m *ast.Map, validate bool) []*Type {
	keys := make([]*Type, 0, len(m.Keys))
	bad := false
	for _, k := range m.Keys {
		n := c.nerr()
		t := c.expr(k, useMapKey)
		switch {
		case t.IsNone():
			if c.nerr() == n {
				c.errorf(k.Range(), "Invalid expression for assignment: ")
			}
			bad = true
		case t.Kind == Int && t.Size < 8:
			t = IntType(8, t.Signed)
		case t.Kind == Tuple:
			c.errorf(m.Span, "tuple cannot be used as a map key. Try a multi-key associative array instead (eg `@map[$1, $2] = ...)`.")
			bad = true
		case t.Kind.IsAggregation():
			c.errorf(k.Range(), "%s() cannot be used as a map key", t.Kind)
			bad = true
		}
		keys = append(keys, t)
	}
	if validate && !bad {
		c.checkKeys(m, keys)
	}
	return keys
}

// checkKeys compares a use's key types with the map's: integers match
// whatever their sign, strings grow to the longest.
func (c *checker) checkKeys(m *ast.Map, keys []*Type) {
	mi := c.mapInfo(m)
	if !mi.keysSet {
		mi.Keys, mi.keysSet = keys, true
		if len(keys) == 0 {
			mi.Keys = nil
		}
		return
	}
	ok := len(mi.Keys) == len(keys)
	for i := 0; ok && i < len(keys); i++ {
		old, t := mi.Keys[i], keys[i]
		switch {
		case old.Kind == String && t.Kind == String:
			mi.Keys[i] = widen(old, t)
		case old.Kind == Int && t.Kind == Int:
		default:
			ok = old.Equal(t)
		}
	}
	if !ok {
		c.errorf(m.Span, "Argument mismatch for %s: trying to access with arguments: %s when map expects arguments: %s",
			mapName(m), keyList(keys), keyList(mi.Keys))
	}
}

// keyList prints key types as 0.17 does: integers as unsigned.
func keyList(keys []*Type) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		if k.Kind == Int {
			k = IntType(k.Size, false)
		}
		parts[i] = k.String()
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// storeMap records that a value of type t is stored into m; eq is where
// 0.17 reports mismatches found after the kinds agree (the `=`).
func (c *checker) storeMap(m *ast.Map, t *Type, eq ast.Span) {
	mi := c.mapInfo(m)
	old := mi.Value
	if t.Kind == Int {
		t = IntType(8, t.Signed)
	}
	switch {
	case old.IsNone():
		mi.Value = t
	case old.Kind != t.Kind:
		c.errorf(m.Span, "Type mismatch for %s: trying to assign value of type '%s' when map already contains a value of type '%s'", mapName(m), t, old)
	case t.Kind == String:
		mi.Value = widen(old, t)
	case t.Kind == Tuple:
		if w := widen(old, t); w != nil {
			mi.Value = w
		} else {
			c.errorf(eq, "Tuple type mismatch: %s != %s.", old, t)
		}
	case t.Kind == Record && old.Name != t.Name:
		c.errorf(eq, "Type mismatch for %s: trying to assign value of type '%s' when map already contains a value of type '%s'", mapName(m), t.Name, old.Name)
	case t.Kind == Array && !old.Equal(t):
		c.errorf(eq, "Array type mismatch: %s != %s.", old, t)
	case t.Kind == Pointer && !sameType(old, t):
		c.errorf(m.Span, "Type mismatch for %s: trying to assign value of type '%s' when map already contains a value of type '%s'", mapName(m), t, old)
	}
}

// defineIfMissing gives m the value type t when nothing was stored in it
// yet: `@x++` and `@x += 1` work on fresh maps.
func (c *checker) defineIfMissing(m *ast.Map, t *Type) {
	if mi := c.mapInfo(m); mi.Value.IsNone() {
		mi.Value = t
	}
}

// readMap checks a map used as a value.
func (c *checker) readMap(m *ast.Map) *Type {
	c.mapKeys(m, true)
	mi := c.mapInfo(m)
	if mi.Value.IsNone() {
		c.errorf(m.Span, "Undefined map: %s", mapName(m))
		return c.record(m, TypeNone)
	}
	return c.record(m, mi.Value)
}
