package codegen

import (
	"github.com/cilium/ebpf/asm"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/types"
)

// A loc is the address of a value in memory: base+off, where base is FP
// (the stack) or a register holding a pointer (into the scratch entry or a
// map value).
type loc struct {
	base VReg
	off  int
}

func (m loc) plus(n int) loc { return loc{m.base, m.off + n} }

// variable is a scratch variable: integers (and pointers) live in a
// virtual register, everything else in a stack slot.
type variable struct {
	t   *types.Type
	reg VReg
	mem loc
	set bool // the stack slot or register exists
}

// lowerer lowers one BPF program.
type lowerer struct {
	c       *compiler
	b       *Builder
	index   int // the program's index in Program.Probes
	pi      *types.ProbeInfo
	p       *Probe
	vars    map[string]*variable
	safe    map[string]bool // variables assigned before any use: no zeroing
	endL    string          // label of the final `exit 0`
	loops   []loopLabels
	cur     ast.Node // the statement being lowered
	keySlot int      // stack slot of a u32 zero key, 0 before its first use

	// The scratch entry: its pointer (looked up at entry when withScratch),
	// and the bytes the current statement uses.
	withScratch bool
	usedScratch bool
	scratch     VReg
	scratchTop  int

	// Stack slots for keys and values, reused from statement to statement.
	pool map[int][]int
	used map[int]int
}

type loopLabels struct{ brk, cont string }

func newLowerer(c *compiler, n int, pi *types.ProbeInfo, p *Probe, withScratch bool) *lowerer {
	l := &lowerer{c: c, b: NewBuilder(), index: n, pi: pi, p: p, vars: map[string]*variable{},
		withScratch: withScratch, pool: map[int][]int{}, used: map[int]int{}}
	l.scratch = l.b.NewVReg()
	l.safe = definitelyAssigned(pi.Probe.Body)
	return l
}

// body lowers the program: the scratch lookup, variable initialisation,
// the predicate and the statements.
func (l *lowerer) body() {
	b := l.b
	pr := l.pi.Probe
	b.SetSource(l.c.source(pr.AttachPoints[0]))
	l.endL = b.NewLabel("end")
	if l.withScratch {
		m := b.NewVReg()
		b.LoadMapPtr(m, ScratchMap)
		l.c.useMap(ScratchMap)
		l.scratchKey()
		r := b.Call(asm.FnMapLookupElem, R(m), StackAddr(l.keySlot))
		b.Mov(l.scratch, r)
		b.Jump(asm.JEq, l.scratch, Imm(0), l.endL)
	}
	if l.c.exits && l.p.Provider != "end" {
		l.exitedFlag(l.endL, false)
	}
	for _, v := range l.pi.Vars {
		if !l.safe[v.Name] {
			l.initVar(v.Name, v.Type)
		}
	}
	if pr.Pred != nil {
		b.SetSource(l.c.source(pr.Pred))
		l.resetStmt(pr.Pred)
		l.cond(pr.Pred, l.endL, false)
	}
	if pr.Body != nil {
		l.block(pr.Body)
	}
	b.Label(l.endL)
	b.Exit(Imm(0))
}

// resetStmt starts a statement: scratch bytes and pooled stack slots of
// the previous one are free again.
func (l *lowerer) resetStmt(n ast.Node) {
	l.cur = n
	l.scratchTop = 0
	clear(l.used)
}

func (l *lowerer) errorf(n ast.Node, format string, args ...any) {
	l.c.errorf(n.Range(), format, args...)
}

// scratchKey stores a u32 0 in the key slot (allocated on first use).
func (l *lowerer) scratchKey() {
	if l.keySlot == 0 {
		l.keySlot = l.b.AllocStack(4, 4)
	}
	l.b.Store(FP, l.keySlot, Imm(0), asm.Word)
}

// scratchAlloc returns size bytes (8-aligned) of the scratch entry for the
// current statement.
func (l *lowerer) scratchAlloc(n ast.Node, size int) loc {
	size = (size + 7) &^ 7
	off := l.scratchTop
	l.scratchTop += size
	if l.scratchTop > MaxScratch {
		l.errorf(n, "this statement needs %d bytes of scratch space, more than the %d available", l.scratchTop, MaxScratch)
		l.scratchTop = 0
		off = 0
	}
	l.usedScratch = true
	l.c.needScratch(l.scratchTop)
	return loc{l.scratch, off}
}

// stackLimit is how many bytes of fixed slots a program may take: the rest
// of the 512-byte frame is left for spills.
const stackLimit = MaxStack - 64

// tmp returns size bytes of temporary memory for the current statement: a
// pooled stack slot for small sizes, scratch space otherwise.
func (l *lowerer) tmp(n ast.Node, size int) loc {
	size = (size + 7) &^ 7
	if size > 32 {
		return l.scratchAlloc(n, size)
	}
	k := l.used[size]
	l.used[size]++
	if k < len(l.pool[size]) {
		return loc{FP, l.pool[size][k]}
	}
	off, ok := l.allocStack(n, size)
	if !ok {
		return l.scratchAlloc(n, size)
	}
	l.pool[size] = append(l.pool[size], off)
	return loc{FP, off}
}

// allocStack reserves a fixed stack slot, or reports that the frame is
// full.
func (l *lowerer) allocStack(n ast.Node, size int) (int, bool) {
	size = (size + 7) &^ 7
	if l.b.frame+size > stackLimit {
		return 0, false
	}
	return l.b.AllocStack(size, 8), true
}

// addr returns an operand holding the address m, for helper arguments.
func (l *lowerer) addr(m loc) Operand {
	if m.base == FP {
		return StackAddr(m.off)
	}
	r := l.b.NewVReg()
	l.b.Mov(r, m.base)
	if m.off != 0 {
		l.b.ALU(asm.Add, r, Imm(int64(m.off)))
	}
	return R(r)
}

// chunk returns the widest access (8, 4, 2 or 1 bytes) that fits in n
// bytes and keeps every offset aligned.
func chunk(n int, offs ...int) int {
	for _, k := range []int{8, 4, 2} {
		if n < k {
			continue
		}
		ok := true
		for _, o := range offs {
			ok = ok && o%k == 0
		}
		if ok {
			return k
		}
	}
	return 1
}

func sizeOf(k int) asm.Size {
	switch k {
	case 8:
		return asm.DWord
	case 4:
		return asm.Word
	case 2:
		return asm.Half
	}
	return asm.Byte
}

// zero clears n bytes at m.
func (l *lowerer) zero(m loc, n int) {
	for i := 0; i < n; {
		k := chunk(n-i, m.off+i)
		l.b.Store(m.base, m.off+i, Imm(0), sizeOf(k))
		i += k
	}
}

// copyMem copies n bytes from src to dst.
func (l *lowerer) copyMem(dst, src loc, n int) {
	for i := 0; i < n; {
		k := chunk(n-i, dst.off+i, src.off+i)
		r := l.b.NewVReg()
		l.b.Load(r, src.base, src.off+i, sizeOf(k))
		l.b.Store(dst.base, dst.off+i, R(r), sizeOf(k))
		i += k
	}
}

// storeInt writes the integer in r as size bytes at m.
func (l *lowerer) storeInt(m loc, r VReg, size int) {
	if size <= 0 || size > 8 {
		size = 8
	}
	l.b.Store(m.base, m.off, R(r), sizeOf(size))
}

// storeBytes writes the constant bytes data at m, zero-padded to n bytes.
func (l *lowerer) storeBytes(m loc, data []byte, n int) {
	for i := 0; i < n; {
		k := chunk(n-i, m.off+i)
		var v uint64
		for j := k - 1; j >= 0; j-- {
			v <<= 8
			if i+j < len(data) {
				v |= uint64(data[i+j])
			}
		}
		if k == 8 && int64(v) != int64(int32(v)) {
			r := l.b.Const(int64(v))
			l.b.Store(m.base, m.off+i, R(r), asm.DWord)
		} else {
			l.b.Store(m.base, m.off+i, Imm(int64(signExtendTo(v, k))), sizeOf(k))
		}
		i += k
	}
}

// signExtendTo returns v (k bytes wide) as the int32-or-smaller immediate
// that stores the same k bytes.
func signExtendTo(v uint64, k int) int64 {
	switch k {
	case 1:
		return int64(int8(v))
	case 2:
		return int64(int16(v))
	case 4:
		return int64(int32(v))
	}
	return int64(v)
}

// isIntLike reports whether values of t live in a register: integers,
// pointers, the target index of probe/func, and floats, whose raw IEEE
// bits (zero-extended) are only carried to user space, never computed on.
func isIntLike(t *types.Type) bool {
	switch t.Kind {
	case types.Int, types.Pointer, types.Probe, types.Usym, types.Ksym, types.Float:
		return true
	}
	return false
}

// variable returns the storage of $name, creating it on first use.
func (l *lowerer) variable(n ast.Node, name string, t *types.Type) *variable {
	v := l.vars[name]
	if v == nil {
		v = &variable{t: t}
		l.vars[name] = v
	}
	if !v.set {
		v.set = true
		if isIntLike(v.t) {
			v.reg = l.b.NewVReg()
		} else {
			off, ok := l.allocStack(n, v.t.Size)
			if !ok {
				l.errorf(n, "the variable $%s (%d bytes) does not fit in the %d-byte BPF stack", name, v.t.Size, MaxStack)
			}
			v.mem = loc{FP, off}
		}
	}
	return v
}

// varType returns the final type of $name in this probe.
func (l *lowerer) varType(name string) *types.Type {
	for _, v := range l.pi.Vars {
		if v.Name == name {
			return v.Type
		}
	}
	return types.TypeNone
}

// initVar gives a variable that may be read before it is assigned its
// zero value, as bpftrace does.
func (l *lowerer) initVar(name string, t *types.Type) {
	if t.IsNone() || (!isIntLike(t) && t.Size <= 0) {
		return
	}
	v := l.variable(l.pi.Probe, name, t)
	if isIntLike(t) {
		l.b.MovImm(v.reg, 0)
	} else if v.mem.off != 0 {
		l.zero(v.mem, (t.Size+7)&^7)
	}
}

// definitelyAssigned returns the variables whose first appearance in the
// body is the target of a top-level `$x = value` that does not read $x:
// they need no zero value.
func definitelyAssigned(body *ast.Block) map[string]bool {
	safe := map[string]bool{}
	seen := map[string]bool{}
	if body == nil {
		return safe
	}
	mark := func(n ast.Node) {
		ast.Inspect(n, func(n ast.Node) bool {
			if v, ok := n.(*ast.Var); ok {
				seen[v.Name] = true
			}
			return true
		})
	}
	for _, s := range body.Stmts {
		if a, ok := s.(*ast.AssignStmt); ok && a.Op == "=" {
			if v, ok := a.Target.(*ast.Var); ok {
				mark(a.Value)
				if !seen[v.Name] {
					safe[v.Name] = true
				}
				seen[v.Name] = true
				continue
			}
		}
		mark(s)
	}
	if body.Value != nil {
		mark(body.Value)
	}
	return safe
}
