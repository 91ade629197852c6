package codegen

import (
	"github.com/cilium/ebpf/asm"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/types"
)

// LhistBounds are the literal min, max and step of a map's lhist() calls,
// which the runtime needs to lay out and label the buckets.
type LhistBounds struct{ Min, Max, Step int64 }

// minBias is what bpftrace 0.17 subtracts a min() argument from: it stores
// the largest 0xffffffff-x, so that a missing value (read as 0) loses to
// the first store, and the runtime prints 0xffffffff minus the merged
// largest. The runtime relies on the same bias.
const minBias = 0xffffffff

// aggregate lowers `@m[k] = count()`, sum, min, max, avg, stats, hist and
// lhist. Every value is per-CPU, so the updates need no atomics.
func (l *lowerer) aggregate(m *ast.Map, mi *types.MapInfo, bm *Map, call *ast.Call) {
	b := l.b
	kind := mi.Value.Kind
	want := 1
	switch kind {
	case types.Count:
		want = 0
	case types.Lhist:
		want = 4
	}
	if len(call.Args) != want {
		return // the type checker reported it
	}
	switch kind {
	case types.Count, types.Sum:
		var add Operand = Imm(1)
		if kind == types.Sum {
			add = l.operand(call.Args[0], "+")
		}
		key := l.mapKey(m, mi)
		p, skip := l.aggSlot(m, bm, key, 8, call)
		l.addAt(p, 0, add)
		b.Label(skip)
	case types.Avg, types.Stats:
		x := l.intExpr(call.Args[0])
		key := l.mapKey(m, mi)
		p, skip := l.aggSlot(m, bm, key, 16, call)
		l.addAt(p, 0, Imm(1))
		l.addAt(p, 8, R(x))
		b.Label(skip)
	case types.Min, types.Max:
		l.minMax(m, mi, bm, call)
	case types.Hist, types.Lhist:
		x := l.intExpr(call.Args[0])
		var idx VReg
		if kind == types.Hist {
			idx = l.log2Bucket(x)
		} else {
			lb, ok := lhistArgs(call)
			if !ok {
				return
			}
			if bm.Lhist.Step != 0 && bm.Lhist != lb {
				l.errorf(call, "Different lhist bounds in a single map unsupported")
				return
			}
			bm.Lhist = lb
			idx = l.linearBucket(x, lb)
		}
		key := l.mapKeyExtra(m, mi, 8)
		l.storeInt(key.plus(BucketOffset(mi)), idx, 8)
		p, skip := l.aggSlot(m, bm, key, 8, call)
		l.addAt(p, 0, Imm(1))
		b.Label(skip)
	default:
		l.errorf(call, "%s() is not supported yet", call.Name)
	}
}

// aggSlot returns a pointer to this CPU's value at key, creating it as
// size zero bytes when missing (BPF_NOEXIST, then a second lookup). The
// caller must place the returned label after its use of the pointer: the
// code jumps there when the map is full.
func (l *lowerer) aggSlot(m *ast.Map, bm *Map, key loc, size int, n ast.Node) (VReg, string) {
	b := l.b
	p := l.lookup(m, bm, key)
	found := b.NewLabel("found")
	skip := b.NewLabel("skip")
	b.Jump(asm.JNE, p, Imm(0), found)
	zero := l.tmp(n, size)
	l.zero(zero, size)
	mp := b.NewVReg()
	b.LoadMapPtr(mp, bm.Name)
	b.Call(asm.FnMapUpdateElem, R(mp), l.addr(key), l.addr(zero), Imm(1)) // BPF_NOEXIST
	p2 := l.lookup(m, bm, key)
	b.Mov(p, p2)
	b.Jump(asm.JEq, p, Imm(0), skip)
	b.Label(found)
	return p, skip
}

// addAt adds v to the u64 at p+off.
func (l *lowerer) addAt(p VReg, off int, v Operand) {
	r := l.b.NewVReg()
	l.b.Load(r, p, off, asm.DWord)
	l.b.ALU(asm.Add, r, v)
	l.b.Store(p, off, R(r), asm.DWord)
}

// minMax lowers min() and max() as bpftrace 0.17 does: the stored value
// (x for max, minBias-x for min) replaces the old one when it is greater
// or equal as signed numbers, a missing value counting as 0, so a
// negative stored value never creates an entry.
func (l *lowerer) minMax(m *ast.Map, mi *types.MapInfo, bm *Map, call *ast.Call) {
	b := l.b
	x := l.intExpr(call.Args[0])
	v := x
	if mi.Value.Kind == types.Min {
		v = b.Const(minBias)
		b.ALU(asm.Sub, v, R(x))
	}
	key := l.mapKey(m, mi)
	p := l.lookup(m, bm, key)
	missing, done := b.NewLabel("missing"), b.NewLabel("done")
	b.Jump(asm.JEq, p, Imm(0), missing)
	old := b.NewVReg()
	b.Load(old, p, 0, asm.DWord)
	b.Jump(asm.JSGT, old, R(v), done)
	b.Store(p, 0, R(v), asm.DWord)
	b.Ja(done)
	b.Label(missing)
	b.Jump(asm.JSLT, v, Imm(0), done)
	val := l.tmp(call, 8)
	l.storeInt(val, v, 8)
	l.update(bm, key, val)
	b.Label(done)
}

// log2Bucket computes hist()'s bucket of x as bpftrace 0.17's log2 does:
// 0 for negative, 1 for zero, else 2 plus floor(log2(x)) found with five
// compare-and-shift steps (16, 8, 4, 2, 1), which caps it at 2+31.
func (l *lowerer) log2Bucket(x VReg) VReg {
	b := l.b
	idx := b.Const(0)
	done := b.NewLabel("log2")
	b.Jump(asm.JSLT, x, Imm(0), done)
	b.MovImm(idx, 1)
	b.Jump(asm.JEq, x, Imm(0), done)
	b.MovImm(idx, 2)
	n := b.NewVReg()
	b.Mov(n, x)
	for i := 4; i >= 0; i-- {
		s := int64(1) << i
		next := b.NewLabel("log2s")
		b.Jump(asm.JSLT, n, Imm(1<<s), next)
		b.ALU(asm.RSh, n, Imm(s))
		b.ALU(asm.Add, idx, Imm(s))
		b.Label(next)
	}
	b.Label(done)
	return idx
}

// linearBucket computes lhist()'s bucket of x with compile-time bounds:
// 0 below min, 1+(max-min)/step from max up, else 1+(x-min)/step, signed
// compares as in bpftrace 0.17.
func (l *lowerer) linearBucket(x VReg, lb LhistBounds) VReg {
	b := l.b
	idx := b.Const(0)
	done := b.NewLabel("linear")
	b.Jump(asm.JSLT, x, Imm(lb.Min), done)
	b.MovImm(idx, 1+(lb.Max-lb.Min)/lb.Step)
	b.Jump(asm.JSGT, x, Imm(lb.Max), done)
	b.Mov(idx, x)
	b.ALU(asm.Sub, idx, Imm(lb.Min))
	b.ALU(asm.Div, idx, Imm(lb.Step))
	b.ALU(asm.Add, idx, Imm(1))
	b.Label(done)
	return idx
}

// lhistArgs returns lhist()'s literal bounds, or false when they are not
// usable (the type checker reported why).
func lhistArgs(call *ast.Call) (LhistBounds, bool) {
	var v [3]int64
	for i := range v {
		n, ok := call.Args[i+1].(*ast.Int)
		if !ok {
			return LhistBounds{}, false
		}
		v[i] = int64(n.Value)
	}
	lb := LhistBounds{Min: v[0], Max: v[1], Step: v[2]}
	if lb.Step <= 0 || lb.Min < 0 || lb.Max < lb.Min || lb.Max > 1<<31-1 {
		return LhistBounds{}, false
	}
	return lb, true
}
