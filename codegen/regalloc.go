package codegen

import (
	"fmt"
	"math"

	"github.com/cilium/ebpf/asm"
)

const (
	numRegs     = 10    // r0-r9 are allocatable; r10 is the frame pointer
	allRegs     = 0x3ff // mask of r0-r9
	calleeSaved = 0x3c0 // mask of r6-r9, preserved by helper calls
	maxRounds   = 32    // colouring attempts before giving up
)

// allocator assigns BPF registers to the virtual registers of a program,
// rewriting it with spill code until it colours.
type allocator struct {
	insts  []inst
	nvreg  int
	temp   []bool // spill temporaries: never spilled again
	nslot  int    // spill slots handed out so far
	reg    []asm.Register
	lv     *liveness
	graph  []bitset // interference
	mask   []uint16 // allowed registers
	occ    []int    // uses + definitions
	prefer [][]int  // fixed register preferences
	moves  [][]VReg // move-related registers
}

// allocate colours insts, whose virtual registers are below nvreg.
func allocate(insts []inst, nvreg int) (*allocator, error) {
	a := &allocator{insts: insts, nvreg: nvreg, temp: make([]bool, nvreg)}
	for round := 0; ; round++ {
		if round == maxRounds {
			return nil, fmt.Errorf("codegen: register allocation did not converge after %d rounds", maxRounds)
		}
		c, err := buildCFG(a.insts)
		if err != nil {
			return nil, err
		}
		a.lv = vregLiveness(c, a.insts, a.nvreg)
		if err := a.checkDefined(c); err != nil {
			return nil, err
		}
		a.build(c)
		spills, err := a.color()
		if err != nil {
			return nil, err
		}
		if len(spills) == 0 {
			return a, nil
		}
		a.spill(spills)
	}
}

// checkDefined reports a register that is used on some path before it is
// defined, i.e. live into the first block.
func (a *allocator) checkDefined(c *cfg) error {
	var err error
	a.lv.in[0].each(func(v int) {
		if err != nil {
			return
		}
		where := ""
		var buf []VReg
		for i := range a.insts {
			for _, u := range a.insts[i].uses(buf[:0]) {
				if int(u) == v && where == "" {
					where = fmt.Sprintf(" (%q at %q)", a.insts[i].String(), a.insts[i].source)
				}
			}
		}
		err = fmt.Errorf("codegen: %v may be used before it is defined%s", VReg(v), where)
	})
	return err
}

// build computes interference, register masks, and preferences.
func (a *allocator) build(c *cfg) {
	n := a.nvreg
	a.graph = make([]bitset, n)
	for v := range a.graph {
		a.graph[v] = newBitset(n)
	}
	a.mask = make([]uint16, n)
	for v := range a.mask {
		a.mask[v] = allRegs
	}
	a.occ = make([]int, n)
	a.prefer = make([][]int, n)
	a.moves = make([][]VReg, n)
	addPref := func(v VReg, r int) { a.prefer[v] = append(a.prefer[v], r) }
	var buf []VReg
	for bi, blk := range c.blocks {
		live := a.lv.out[bi].clone()
		for i := blk.end - 1; i >= blk.start; i-- {
			in := &a.insts[i]
			d := in.def()
			if in.op == irCall {
				live.each(func(l int) {
					if VReg(l) != d {
						a.mask[l] &= calleeSaved
					}
				})
				for k, arg := range in.args {
					if arg.isReg() {
						addPref(arg.reg, 1+k)
					}
				}
				addPref(d, 0)
			}
			if d >= 0 {
				a.occ[d]++
				live.each(func(l int) {
					if VReg(l) != d && !(in.op == irMov && in.src.isReg() && in.src.reg == VReg(l)) {
						a.graph[d].set(l)
						a.graph[l].set(int(d))
					}
				})
				live.clear(int(d))
			}
			switch {
			case in.op == irMov && in.src.isReg():
				a.moves[d] = append(a.moves[d], in.src.reg)
				a.moves[in.src.reg] = append(a.moves[in.src.reg], d)
			case in.op == irExit && in.src.isReg():
				addPref(in.src.reg, 0)
			case in.op == irEntry:
				addPref(d, 6)
			}
			for _, u := range in.uses(buf[:0]) {
				a.occ[u]++
				live.set(int(u))
			}
		}
	}
}

// color runs Chaitin-Briggs simplify/select with optimistic colouring and
// returns the registers to spill (none when every register got a colour).
func (a *allocator) color() ([]VReg, error) {
	n := a.nvreg
	removed := make([]bool, n)
	degree := make([]int, n)
	var nodes []int
	for v := 0; v < n; v++ {
		if a.occ[v] == 0 {
			removed[v] = true
			continue
		}
		nodes = append(nodes, v)
		a.graph[v].each(func(w int) {
			if a.mask[v]&a.mask[w] != 0 {
				degree[v]++
			}
		})
	}
	k := func(v int) int { return popcount(a.mask[v]) }
	var stack []int
	for left := len(nodes); left > 0; left-- {
		pick := -1
		for _, v := range nodes {
			if !removed[v] && degree[v] < k(v) {
				pick = v
				break
			}
		}
		if pick < 0 { // potential spill: cheapest per conflict, temporaries last
			best := math.Inf(1)
			for _, v := range nodes {
				if removed[v] {
					continue
				}
				cost := float64(a.occ[v]) / float64(degree[v]+1)
				if a.temp[v] {
					cost = 1e18 - float64(degree[v])
				}
				if pick < 0 || cost < best {
					pick, best = v, cost
				}
			}
		}
		removed[pick] = true
		stack = append(stack, pick)
		a.graph[pick].each(func(w int) {
			if !removed[w] && a.mask[pick]&a.mask[w] != 0 {
				degree[w]--
			}
		})
	}
	return a.selectColors(stack)
}

func popcount(m uint16) (n int) {
	for ; m != 0; m &= m - 1 {
		n++
	}
	return n
}

// selectColors pops the simplify stack and gives each register a colour
// not used by a coloured neighbour, preferring move partners' colours and
// fixed preferences. A temporary that finds none takes the colour of a
// spillable neighbour, which is spilled instead.
func (a *allocator) selectColors(stack []int) ([]VReg, error) {
	a.reg = make([]asm.Register, a.nvreg)
	colored := make([]bool, a.nvreg)
	spilled := map[int]bool{}
	for i := len(stack) - 1; i >= 0; i-- {
		v := stack[i]
		var used uint16
		a.graph[v].each(func(w int) {
			if colored[w] {
				used |= 1 << a.reg[w]
			}
		})
		free := a.mask[v] &^ used
		if free == 0 {
			if !a.temp[v] {
				spilled[v] = true
				continue
			}
			victims := a.victim(v, colored)
			if victims == nil {
				return nil, fmt.Errorf("codegen: register allocation failed: %v has no register", VReg(v))
			}
			for _, w := range victims {
				colored[w] = false
				spilled[w] = true
			}
			free = 1 << a.reg[victims[0]]
		}
		a.reg[v] = a.choose(v, free, colored)
		colored[v] = true
	}
	var out []VReg
	for v := 0; v < a.nvreg; v++ {
		if spilled[v] {
			out = append(out, VReg(v))
		}
	}
	return out, nil
}

// victim finds the colour v may take at the least cost: the colour, in
// v's mask, whose coloured neighbours of v are all spillable and fewest in
// uses. It returns those neighbours, or nil when there is none.
func (a *allocator) victim(v int, colored []bool) []int {
	var best []int
	bestCost := -1
	for r := 0; r < numRegs; r++ {
		if a.mask[v]&(1<<r) == 0 {
			continue
		}
		var holders []int
		cost, ok := 0, true
		a.graph[v].each(func(w int) {
			if colored[w] && int(a.reg[w]) == r {
				holders = append(holders, w)
				cost += a.occ[w]
				ok = ok && !a.temp[w]
			}
		})
		if ok && len(holders) > 0 && (bestCost < 0 || cost < bestCost) {
			best, bestCost = holders, cost
		}
	}
	return best
}

func (a *allocator) choose(v int, free uint16, colored []bool) asm.Register {
	for _, p := range a.moves[v] {
		if colored[p] && free&(1<<a.reg[p]) != 0 {
			return a.reg[p]
		}
	}
	for _, r := range a.prefer[v] {
		if free&(1<<r) != 0 {
			return asm.Register(r)
		}
	}
	for r := 0; r < numRegs; r++ {
		if free&(1<<r) != 0 {
			return asm.Register(r)
		}
	}
	return asm.R0 // unreachable: free != 0
}
