package codegen

import (
	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/types"
)

// DefaultMaxEntries is bpftrace's default size of a script map.
const DefaultMaxEntries = 4096

// MapName is the BPF map name of the script map @name ("AT_" for @).
func MapName(name string) string { return "AT_" + name }

// useMap returns the named shared map, creating its spec on first use.
func (c *compiler) useMap(name string) *Map {
	if m := c.maps[name]; m != nil {
		return m
	}
	var m *Map
	switch name {
	case RingBufMap:
		m = &Map{Name: name, Role: RoleRingBuf, Spec: &ebpf.MapSpec{Name: name, Type: ebpf.RingBuf, MaxEntries: RingBufSize}}
	case LostMap:
		m = &Map{Name: name, Role: RoleLost, Spec: &ebpf.MapSpec{Name: name, Type: ebpf.PerCPUArray, KeySize: 4, ValueSize: 8, MaxEntries: 1}}
	case ScratchMap:
		m = &Map{Name: name, Role: RoleScratch, Spec: &ebpf.MapSpec{Name: name, Type: ebpf.PerCPUArray, KeySize: 4, ValueSize: 8, MaxEntries: 1}}
	case ExitedMap:
		m = &Map{Name: name, Role: RoleOther, Spec: &ebpf.MapSpec{Name: name, Type: ebpf.Array, KeySize: 4, ValueSize: 8, MaxEntries: 1}}
	case ElapsedMap:
		m = &Map{Name: name, Role: RoleElapsed, Spec: &ebpf.MapSpec{Name: name, Type: ebpf.Array, KeySize: 4, ValueSize: 8, MaxEntries: 1}}
	default:
		panic("codegen: unknown shared map " + name)
	}
	c.maps[name] = m
	return m
}

// userMap returns the BPF map of the script map @name.
func (c *compiler) userMap(name string) *Map {
	bpfName := MapName(name)
	if m := c.maps[bpfName]; m != nil {
		return m
	}
	mi := c.info.Maps[name]
	if mi == nil {
		mi = &types.MapInfo{Name: name, Value: types.TypeNone}
	}
	typ := ebpf.Hash
	if mi.Value.Kind.IsAggregation() {
		typ = ebpf.PerCPUHash
	}
	keyBytes, max := uint32(mapKeySize(mi)), uint32(DefaultMaxEntries)
	if len(mi.Keys) == 0 && mi.Value.Kind == types.Count {
		// A keyless count() is a one-entry per-CPU array, as in bpftrace
		// 0.17: the verifier inlines its lookup (about half the cost of a
		// hash lookup per hit), and it prints "@c: 0" even when never hit,
		// as 0.17 does. The u64 zero key the code builds reads as u32 0.
		typ, keyBytes, max = ebpf.PerCPUArray, 4, 1
	}
	m := &Map{Name: bpfName, Role: RoleUser, User: mi, Spec: &ebpf.MapSpec{
		Name: bpfName, Type: typ, KeySize: keyBytes,
		ValueSize: uint32(valueSize(mi.Value)), MaxEntries: max}}
	c.maps[bpfName] = m
	return m
}

// keySize is the size of a map's key: the keys as a tuple, or a u64 for a
// scalar map.
func keySize(mi *types.MapInfo) int {
	if len(mi.Keys) == 0 {
		return 8
	}
	return types.TupleOf(mi.Keys...).Size
}

// mapKeySize is the size of the BPF map's key: the user key, then for
// hist and lhist maps a u64 bucket index at the next 8-byte boundary.
func mapKeySize(mi *types.MapInfo) int {
	if isBucketed(mi.Value) {
		return BucketOffset(mi) + 8
	}
	return keySize(mi)
}

// BucketOffset is where a hist or lhist map's key holds the bucket index.
func BucketOffset(mi *types.MapInfo) int { return (keySize(mi) + 7) &^ 7 }

func isBucketed(t *types.Type) bool { return t.Kind == types.Hist || t.Kind == types.Lhist }

// valueSize is the size of a map value of type t.
func valueSize(t *types.Type) int {
	switch t.Kind {
	case types.Int, types.Pointer, types.Count, types.Sum, types.Min, types.Max, types.Probe, types.Usym, types.Ksym:
		return 8
	case types.Avg, types.Stats:
		return 16
	}
	if t.Size <= 0 {
		return 8
	}
	return t.Size
}

// mapKey builds the key of a map access in temporary memory.
func (l *lowerer) mapKey(m *ast.Map, mi *types.MapInfo) loc {
	return l.mapKeyExtra(m, mi, 0)
}

// mapKeyExtra is mapKey with extra bytes of room after the key's 8-byte
// aligned end (left unset), for a hist bucket index.
func (l *lowerer) mapKeyExtra(m *ast.Map, mi *types.MapInfo, extra int) loc {
	size := keySize(mi)
	k := l.tmp(m, (size+7)&^7+extra)
	if len(mi.Keys) == 0 || len(m.Keys) == 0 {
		l.zero(k, (size+7)&^7)
		return k
	}
	kt := types.TupleOf(mi.Keys...)
	end := 0
	for i, e := range m.Keys {
		if i >= len(kt.Fields) {
			break
		}
		f := kt.Fields[i]
		l.zero(k.plus(end), f.Offset-end)
		if f.Type.Kind == types.Ustack || f.Type.Kind == types.Kstack {
			l.stackKey(f.Type, k.plus(f.Offset))
		} else {
			l.writeValue(e, k.plus(f.Offset), f.Type.Size)
		}
		end = f.Offset + f.Type.Size
	}
	if extra > 0 {
		size = (size + 7) &^ 7 // the padding before the bucket is key bytes
	}
	l.zero(k.plus(end), size-end)
	return k
}

// mapInfo returns the checked map of m and its BPF map.
func (l *lowerer) mapInfo(m *ast.Map) (*types.MapInfo, *Map) {
	mi := l.c.info.Maps[m.Name]
	if mi == nil || mi.Value.IsNone() {
		l.errorf(m, "undefined map @%s", m.Name)
		return nil, nil
	}
	return mi, l.c.userMap(m.Name)
}

// lookup returns a pointer to the value of m's entry, or 0.
func (l *lowerer) lookup(m *ast.Map, bm *Map, key loc) VReg {
	mp := l.b.NewVReg()
	l.b.LoadMapPtr(mp, bm.Name)
	return l.b.Call(asm.FnMapLookupElem, R(mp), l.addr(key))
}

// mapReadInt reads an integer map value, 0 when the key is missing.
func (l *lowerer) mapReadInt(m *ast.Map) VReg {
	mi, bm := l.mapInfo(m)
	if mi == nil {
		return l.b.Const(0)
	}
	if mi.Value.Kind.IsAggregation() && mi.Value.Kind != types.Count && mi.Value.Kind != types.Sum {
		l.errorf(m, "reading a %s map is not supported yet", mi.Value.Kind)
		return l.b.Const(0)
	}
	p := l.lookup(m, bm, l.mapKey(m, mi))
	r := l.b.Const(0)
	miss := l.b.NewLabel("miss")
	l.b.Jump(asm.JEq, p, Imm(0), miss)
	l.b.Load(r, p, 0, asm.DWord)
	l.b.Label(miss)
	return r
}

// mapReadMem copies a map value to dst (size bytes), zeros when missing.
func (l *lowerer) mapReadMem(m *ast.Map, dst loc, size int) {
	mi, bm := l.mapInfo(m)
	if mi == nil {
		return
	}
	p := l.lookup(m, bm, l.mapKey(m, mi))
	miss, done := l.b.NewLabel("miss"), l.b.NewLabel("read")
	l.b.Jump(asm.JEq, p, Imm(0), miss)
	n := min(size, valueSize(mi.Value))
	l.copyMem(dst, loc{p, 0}, n)
	l.zero(dst.plus(n), size-n)
	l.b.Ja(done)
	l.b.Label(miss)
	l.zero(dst, size)
	l.b.Label(done)
}

// update stores the value at val under key.
func (l *lowerer) update(bm *Map, key, val loc) {
	mp := l.b.NewVReg()
	l.b.LoadMapPtr(mp, bm.Name)
	l.b.Call(asm.FnMapUpdateElem, R(mp), l.addr(key), l.addr(val), Imm(0))
}

// assignMap lowers `@m[k] = v`, `@m[k] op= v` and aggregations.
func (l *lowerer) assignMap(s *ast.AssignStmt, m *ast.Map) {
	mi, bm := l.mapInfo(m)
	if mi == nil {
		return
	}
	if call, ok := s.Value.(*ast.Call); ok && s.Op == "=" && mi.Value.Kind.IsAggregation() {
		l.aggregate(m, mi, bm, call)
		return
	}
	if s.Op != "=" {
		if mi.Value.Kind != types.Int {
			l.errorf(s, "compound assignment to a %s map is not supported", mi.Value)
			return
		}
		key := l.mapKey(m, mi)
		x := l.readAt(m, bm, key)
		y := l.intExpr(s.Value)
		r := l.binop(s.Op[:len(s.Op)-1], x, y, mi.Value.Signed && l.typeOf(s.Value).Signed, s)
		val := l.tmp(s, 8)
		l.storeInt(val, r, 8)
		l.update(bm, key, val)
		return
	}
	key := l.mapKey(m, mi)
	n := (valueSize(mi.Value) + 7) &^ 7
	val := l.tmp(s, n)
	if mi.Value.Kind == types.Ustack || mi.Value.Kind == types.Kstack {
		// A stack stored in a map is a stack id, as a stack key is.
		l.stackKey(mi.Value, val)
	} else {
		l.writeValue(s.Value, val, n)
	}
	l.update(bm, key, val)
}

// readAt reads the integer at key, 0 when missing.
func (l *lowerer) readAt(m *ast.Map, bm *Map, key loc) VReg {
	p := l.lookup(m, bm, key)
	r := l.b.Const(0)
	miss := l.b.NewLabel("miss")
	l.b.Jump(asm.JEq, p, Imm(0), miss)
	l.b.Load(r, p, 0, asm.DWord)
	l.b.Label(miss)
	return r
}

// mapIncDec lowers @m++ and friends on an integer map.
func (l *lowerer) mapIncDec(m *ast.Map, delta int64, post bool) VReg {
	mi, bm := l.mapInfo(m)
	if mi == nil {
		return l.b.Const(0)
	}
	key := l.mapKey(m, mi)
	old := l.readAt(m, bm, key)
	nv := l.b.NewVReg()
	l.b.Mov(nv, old)
	l.b.ALU(asm.Add, nv, Imm(delta))
	val := l.tmp(m, 8)
	l.storeInt(val, nv, 8)
	l.update(bm, key, val)
	if post {
		return old
	}
	return nv
}

// deleteCall lowers delete(@m[k]) and delete(@m, k).
func (l *lowerer) deleteCall(e *ast.Call) {
	if len(e.Args) == 0 {
		return
	}
	m, ok := e.Args[0].(*ast.Map)
	if !ok {
		l.errorf(e, "delete() expects a map")
		return
	}
	if len(e.Args) == 2 {
		m = &ast.Map{Span: m.Span, Name: m.Name, Keys: e.Args[1:]}
	}
	mi, bm := l.mapInfo(m)
	if mi == nil {
		return
	}
	if isBucketed(mi.Value) {
		l.errorf(e, "delete() of a %s map entry is not supported yet", mi.Value.Kind)
		return
	}
	key := l.mapKey(m, mi)
	mp := l.b.NewVReg()
	l.b.LoadMapPtr(mp, bm.Name)
	l.b.Call(asm.FnMapDeleteElem, R(mp), l.addr(key))
}
