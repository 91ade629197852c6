package codegen

import (
	"fmt"
	"math/bits"
)

// bitset is a set of small non-negative integers.
type bitset []uint64

func newBitset(n int) bitset       { return make(bitset, (n+63)/64) }
func (s bitset) has(i int) bool    { return s[i/64]&(1<<(i%64)) != 0 }
func (s bitset) set(i int)         { s[i/64] |= 1 << (i % 64) }
func (s bitset) clear(i int)       { s[i/64] &^= 1 << (i % 64) }
func (s bitset) copyFrom(o bitset) { copy(s, o) }
func (s bitset) clone() bitset     { return append(bitset(nil), s...) }
func (s bitset) count() (n int) {
	for _, w := range s {
		n += bits.OnesCount64(w)
	}
	return n
}

// union adds o to s and reports whether s changed.
func (s bitset) union(o bitset) bool {
	changed := false
	for i, w := range o {
		if s[i]|w != s[i] {
			s[i] |= w
			changed = true
		}
	}
	return changed
}

// each calls f for every member in increasing order.
func (s bitset) each(f func(int)) {
	for i, w := range s {
		for w != 0 {
			b := bits.TrailingZeros64(w)
			f(i*64 + b)
			w &= w - 1
		}
	}
}

// block is a basic block: instructions [start, end) and successor blocks.
type block struct {
	start, end int
	succs      []int
}

// cfg is the control-flow graph of an instruction list.
type cfg struct {
	blocks  []block
	blockOf []int // instruction index -> block
}

// buildCFG splits insts into basic blocks at labels and after jumps and
// exits. Every jump target must be defined.
func buildCFG(insts []inst) (*cfg, error) {
	c := &cfg{blockOf: make([]int, len(insts))}
	labelBlock := map[string]int{}
	for i := 0; i < len(insts); {
		start := i
		i++
		for i < len(insts) && insts[i].op != irLabel && !insts[i-1].isJumpOrExit() {
			i++
		}
		for j := start; j < i; j++ {
			c.blockOf[j] = len(c.blocks)
		}
		if insts[start].op == irLabel {
			labelBlock[insts[start].label] = len(c.blocks)
		}
		c.blocks = append(c.blocks, block{start: start, end: i})
	}
	for bi := range c.blocks {
		blk := &c.blocks[bi]
		last := &insts[blk.end-1]
		if last.op == irJump {
			t, ok := labelBlock[last.label]
			if !ok {
				return nil, fmt.Errorf("codegen: jump to undefined label %q", last.label)
			}
			blk.succs = append(blk.succs, t)
		}
		if !last.isTerminator() && bi+1 < len(c.blocks) {
			if len(blk.succs) == 0 || blk.succs[0] != bi+1 {
				blk.succs = append(blk.succs, bi+1)
			}
		}
	}
	return c, nil
}

func (in *inst) isJumpOrExit() bool { return in.op == irJump || in.op == irExit }

// liveness holds the variables live into and out of each block.
type liveness struct {
	in, out []bitset
}

// computeLiveness solves backward dataflow over c for n variables whose
// uses and definitions by instruction i are given by uses and def (def < 0:
// none). It iterates to a fixed point, visiting blocks in reverse order.
func computeLiveness(c *cfg, n int, uses func(i int, buf []int) []int, def func(i int) int) *liveness {
	nb := len(c.blocks)
	lv := &liveness{in: make([]bitset, nb), out: make([]bitset, nb)}
	gen := make([]bitset, nb)
	kill := make([]bitset, nb)
	var buf []int
	for bi, blk := range c.blocks {
		gen[bi], kill[bi] = newBitset(n), newBitset(n)
		lv.in[bi], lv.out[bi] = newBitset(n), newBitset(n)
		for i := blk.end - 1; i >= blk.start; i-- {
			if d := def(i); d >= 0 {
				kill[bi].set(d)
				gen[bi].clear(d)
			}
			buf = uses(i, buf[:0])
			for _, u := range buf {
				gen[bi].set(u)
			}
		}
	}
	tmp := newBitset(n)
	for changed := true; changed; {
		changed = false
		for bi := nb - 1; bi >= 0; bi-- {
			for _, s := range c.blocks[bi].succs {
				lv.out[bi].union(lv.in[s])
			}
			// in = gen ∪ (out − kill)
			for w := range tmp {
				tmp[w] = gen[bi][w] | (lv.out[bi][w] &^ kill[bi][w])
			}
			if lv.in[bi].union(tmp) {
				changed = true
			}
		}
	}
	return lv
}

// vregLiveness computes the liveness of virtual registers in insts.
func vregLiveness(c *cfg, insts []inst, n int) *liveness {
	var vbuf []VReg
	return computeLiveness(c, n, func(i int, buf []int) []int {
		vbuf = insts[i].uses(vbuf[:0])
		for _, v := range vbuf {
			buf = append(buf, int(v))
		}
		return buf
	}, func(i int) int { return int(insts[i].def()) })
}

// prune drops unreachable instructions and labels nobody jumps to, and
// ends a program whose last reachable block falls off the end with
// "exit 0". It reports a jump to an undefined label.
func prune(insts []inst) ([]inst, error) {
	if len(insts) == 0 {
		return nil, nil
	}
	c, err := buildCFG(insts)
	if err != nil {
		return nil, err
	}
	reach := make([]bool, len(c.blocks))
	work := []int{0}
	reach[0] = true
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		for _, s := range c.blocks[b].succs {
			if !reach[s] {
				reach[s] = true
				work = append(work, s)
			}
		}
	}
	target := map[string]bool{}
	for i := range insts {
		if reach[c.blockOf[i]] && insts[i].op == irJump {
			target[insts[i].label] = true
		}
	}
	var out []inst
	for i, in := range insts {
		if !reach[c.blockOf[i]] || (in.op == irLabel && !target[in.label]) {
			continue
		}
		out = append(out, in)
	}
	lastBlock := len(c.blocks) - 1
	if reach[lastBlock] && !insts[len(insts)-1].isTerminator() {
		out = append(out, inst{op: irExit, src: Imm(0), dst: noVReg, base: noVReg, lhs: noVReg})
	}
	return out, nil
}
