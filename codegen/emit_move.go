package codegen

import "github.com/cilium/ebpf/asm"

// regMove is one register copy dst = src of a parallel move.
type regMove struct{ dst, src asm.Register }

// parallelMove sequences moves, which must happen as if simultaneously
// (each destination appears once), into plain copies. A move is emitted
// once no pending move still reads its destination; what remains then are
// cycles, each broken by saving one register in scratch, which must be
// neither a destination nor, once the acyclic moves are done, needed. Moves
// with dst == src are dropped. The result is deterministic.
func parallelMove(moves []regMove, scratch asm.Register) []regMove {
	pending := map[asm.Register]asm.Register{} // dst -> src
	for _, m := range moves {
		if m.dst != m.src {
			pending[m.dst] = m.src
		}
	}
	read := func(r asm.Register) bool {
		for _, s := range pending {
			if s == r {
				return true
			}
		}
		return false
	}
	var out []regMove
	for len(pending) > 0 {
		progress := false
		for d := asm.R0; d <= asm.R10; d++ {
			s, ok := pending[d]
			if ok && !read(d) {
				out = append(out, regMove{d, s})
				delete(pending, d)
				progress = true
			}
		}
		if progress {
			continue
		}
		// Only cycles are left: save the lowest destination and redirect
		// its readers to the saved copy.
		for d := asm.R0; d <= asm.R10; d++ {
			if _, ok := pending[d]; ok {
				out = append(out, regMove{scratch, d})
				for dd, s := range pending {
					if s == d {
						pending[dd] = scratch
					}
				}
				break
			}
		}
	}
	return out
}
