package codegen

import (
	"fmt"
	"slices"
)

// spill rewrites the program so that each register in spills lives in an
// 8-byte stack slot: every instruction that uses it reloads it into a fresh
// short-lived temporary first, and every instruction that defines it
// defines a temporary stored to the slot right after.
func (a *allocator) spill(spills []VReg) {
	slot := map[VReg]int{}
	for _, v := range spills {
		slot[v] = a.nslot
		a.nslot++
	}
	var out []inst
	var buf []VReg
	for _, in := range a.insts {
		uses := in.uses(buf[:0])
		d := in.def()
		var touched []VReg
		for _, v := range append(uses, d) {
			if _, ok := slot[v]; ok && !slices.Contains(touched, v) {
				touched = append(touched, v)
			}
		}
		slices.Sort(touched)
		var after []inst
		for _, v := range touched {
			t := a.newTemp()
			in.rename(v, t)
			if slices.Contains(uses, v) {
				out = append(out, inst{op: irSpillLoad, dst: t, off: slot[v], base: noVReg, lhs: noVReg, source: in.source})
			}
			if d == v {
				after = append(after, inst{op: irSpillStore, src: R(t), off: slot[v], dst: noVReg, base: noVReg, lhs: noVReg, source: in.source})
			}
		}
		out = append(out, in)
		out = append(out, after...)
	}
	a.insts = out
}

func (a *allocator) newTemp() VReg {
	v := VReg(a.nvreg)
	a.nvreg++
	a.temp = append(a.temp, true)
	return v
}

// slotOffsets places the spill slots below the fixed frame of fixed bytes.
// Slots whose contents are never live at the same time share a place. It
// returns each slot's r10 offset and the total frame size.
func (a *allocator) slotOffsets(fixed int) ([]int, int, error) {
	if a.nslot == 0 {
		return nil, fixed, nil
	}
	c, err := buildCFG(a.insts)
	if err != nil {
		return nil, 0, err
	}
	slotUse := func(i int, buf []int) []int {
		if a.insts[i].op == irSpillLoad {
			buf = append(buf, a.insts[i].off)
		}
		return buf
	}
	slotDef := func(i int) int {
		if a.insts[i].op == irSpillStore {
			return a.insts[i].off
		}
		return -1
	}
	lv := computeLiveness(c, a.nslot, slotUse, slotDef)
	conflict := make([]bitset, a.nslot)
	for s := range conflict {
		conflict[s] = newBitset(a.nslot)
	}
	var buf []int
	for bi, blk := range c.blocks {
		live := lv.out[bi].clone()
		for i := blk.end - 1; i >= blk.start; i-- {
			if d := slotDef(i); d >= 0 {
				live.each(func(l int) {
					if l != d {
						conflict[d].set(l)
						conflict[l].set(d)
					}
				})
				live.clear(d)
			}
			for _, u := range slotUse(i, buf[:0]) {
				live.set(u)
			}
		}
	}
	place := make([]int, a.nslot)
	nplace := 0
	for s := range place {
		taken := newBitset(a.nslot)
		for t := 0; t < s; t++ {
			if conflict[s].has(t) {
				taken.set(place[t])
			}
		}
		p := 0
		for taken.has(p) {
			p++
		}
		place[s] = p
		nplace = max(nplace, p+1)
	}
	base := (fixed + 7) &^ 7
	total := base + 8*nplace
	if total > MaxStack {
		return nil, 0, fmt.Errorf("codegen: stack frame of %d bytes (%d fixed, %d for %d spill slots) exceeds the %d-byte BPF limit",
			total, fixed, 8*nplace, nplace, MaxStack)
	}
	offs := make([]int, a.nslot)
	for s := range offs {
		offs[s] = -(base + 8*(place[s]+1))
	}
	return offs, total, nil
}
