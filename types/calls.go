package types

import (
	"github.com/gobpftrace/gobpftrace/ast"
)

// futureFuncs are bpftrace functions this checker knows but does not
// support yet.
var futureFuncs = map[string]bool{
	"join": true, "system": true, "cat": true, "debugf": true, "signal": true,
	"override": true, "buf": true, "ntop": true, "pton": true, "kaddr": true,
	"uaddr": true, "cgroupid": true, "cgroup_path": true, "strftime": true,
	"path": true, "strerror": true, "kptr": true, "uptr": true, "macaddr": true,
	"unwatch": true, "bswap": true, "skboutput": true, "strcontains": true,
	"percpu_kaddr": true, "errorf": true, "nsecs": true, "len": true, "has_key": true,
}

// regProviders may not use reg(): there is no pt_regs there.
var noRegProviders = map[string]bool{
	"begin": true, "end": true, "tracepoint": true, "fentry": true, "fexit": true,
	"iter": true, "rawtracepoint": true,
}

// call types a function call used as u.
func (c *checker) call(e *ast.Call, u use) *Type {
	ci := &CallInfo{Func: e.Name}
	c.info.Calls[e] = ci
	switch e.Name {
	case "printf":
		c.wantNoAssign(e, u)
		for i, a := range e.Args {
			if s, ok := a.(*ast.Str); ok && i == 0 {
				c.record(s, StringType(len(s.Value)+1)) // never enters the kernel: no size limit
			} else {
				c.expr(a, usePrint)
			}
		}
		c.printf(e, ci)
		return TypeNone
	case "print":
		return c.print(e, u, ci)
	case "exit":
		c.wantNoAssign(e, u)
		c.args(e)
		c.nargs(e, 0)
		return TypeNone
	case "str":
		return c.str(e)
	case "ustack", "kstack":
		return c.stack(e, ci)
	case "count", "sum", "min", "max", "avg", "stats", "hist", "lhist":
		return c.aggregation(e, u)
	case "delete", "clear", "zero":
		return c.mapFunc(e, u, ci)
	case "reg":
		c.args(e)
		for _, ap := range c.probe.Probe.AttachPoints {
			if noRegProviders[ap.Provider] {
				c.errorf(e.Span, "reg can not be used with \"%s\" probes", providerName(ap.Provider))
			}
		}
		if c.nargs(e, 1) && c.literal(e, 0, String) {
			name := e.Args[0].(*ast.Str).Value
			if r, ok := LookupRegister(name); ok {
				ci.Register = &r
			} else {
				c.errorf(e.Span, "'%s' is not a valid register on this architecture (%s)", name, ArchName)
			}
		}
		return TypeUint64
	case "ksym", "usym":
		ts := c.args(e)
		if c.nargs(e, 1) && ts[0].Kind != Int && ts[0].Kind != Pointer && !ts[0].IsNone() {
			c.errorf(e.Span, "%s() expects an integer or pointer argument", e.Name)
		}
		if e.Name == "ksym" {
			return &Type{Kind: Ksym, Size: 8}
		}
		return &Type{Kind: Usym, Size: 16}
	case "time":
		c.wantNoAssign(e, u)
		c.args(e)
		if c.varargs(e, 0, 1) && len(e.Args) == 1 {
			c.literal(e, 0, String)
		}
		return TypeNone
	case "strncmp":
		ts := c.args(e)
		if c.nargs(e, 3) {
			c.argKind(e, ts, 0, String)
			c.argKind(e, ts, 1, String)
			if c.literal(e, 2, Int) && int64(e.Args[2].(*ast.Int).Value) < 0 {
				c.errorf(e.Span, "Builtin strncmp requires a non-negative size")
			}
		}
		return TypeUint64
	}
	c.args(e)
	if futureFuncs[e.Name] {
		c.errorf(e.NameSpan, "%s() is not supported yet", e.Name)
	} else {
		c.errorf(e.NameSpan, "Unknown function: %s", e.Name)
	}
	return TypeNone
}

// args checks every argument as an operand.
func (c *checker) args(e *ast.Call) []*Type {
	ts := make([]*Type, len(e.Args))
	for i, a := range e.Args {
		ts[i] = c.expr(a, useExpr)
	}
	return ts
}

// wantMap is 0.17's rule for aggregations: only `@m = f(...)`.
func (c *checker) wantMap(e *ast.Call, u use) bool {
	if u != useMapValue {
		c.errorf(e.Span, "%s() should be directly assigned to a map", e.Name)
		return false
	}
	return true
}

// wantNoAssign is 0.17's rule for calls without a value.
func (c *checker) wantNoAssign(e *ast.Call, u use) {
	if u == useMapValue || u == useVarValue || u == useMapKey {
		c.errorf(e.Span, "%s() should not be used in an assignment or as a map key", e.Name)
	}
}

func (c *checker) nargs(e *ast.Call, n int) bool {
	if len(e.Args) == n {
		return true
	}
	switch n {
	case 0:
		c.errorf(e.Span, "%s() requires no arguments (%d provided)", e.Name, len(e.Args))
	case 1:
		c.errorf(e.Span, "%s() requires one argument (%d provided)", e.Name, len(e.Args))
	default:
		c.errorf(e.Span, "%s() requires %d arguments (%d provided)", e.Name, n, len(e.Args))
	}
	return false
}

func (c *checker) varargs(e *ast.Call, lo, hi int) bool {
	n := len(e.Args)
	switch {
	case n < lo && lo == 1:
		c.errorf(e.Span, "%s() requires at least one argument (%d provided)", e.Name, n)
	case n < lo:
		c.errorf(e.Span, "%s() requires at least %d arguments (%d provided)", e.Name, lo, n)
	case n > hi && hi == 0:
		c.errorf(e.Span, "%s() requires no arguments (%d provided)", e.Name, n)
	case n > hi && hi == 1:
		c.errorf(e.Span, "%s() takes up to one argument (%d provided)", e.Name, n)
	case n > hi:
		c.errorf(e.Span, "%s() takes up to %d arguments (%d provided)", e.Name, hi, n)
	default:
		return true
	}
	return false
}

// literal requires argument i to be a literal of kind k (already checked).
func (c *checker) literal(e *ast.Call, i int, k Kind) bool {
	a := e.Args[i]
	ok := false
	switch a.(type) {
	case *ast.Str:
		ok = k == String
	case *ast.Int:
		ok = k == Int
	}
	if !ok {
		got := c.info.TypeOf(a).Kind
		c.errorf(e.Span, "%s() expects a %s literal (%s provided)", e.Name, k, got)
		if p, isParam := a.(*ast.PositionalParam); isParam && k == String {
			c.errorf(e.Span, "Use str($%d) to treat $%d as a string", p.N, p.N)
		}
	}
	return ok
}

// argKind requires argument i to be of kind k.
func (c *checker) argKind(e *ast.Call, ts []*Type, i int, k Kind) bool {
	if ts[i].IsNone() {
		return false
	}
	if ts[i].Kind != k {
		c.errorf(e.Span, "%s() only supports %s arguments (%s provided)", e.Name, k, ts[i].Kind)
		return false
	}
	return true
}

func (c *checker) print(e *ast.Call, u use, ci *CallInfo) *Type {
	c.wantNoAssign(e, u)
	if !c.varargs(e, 1, 3) {
		c.args(e)
		return TypeNone
	}
	if m, ok := e.Args[0].(*ast.Map); ok {
		ci.Map = m.Name
		if len(m.Keys) > 0 {
			c.mapKeys(m, false)
			c.errorf(e.Span, "The map passed to %s() should not be indexed by a key", e.Name)
		}
		mi := c.mapInfo(m)
		if mi.Value.IsNone() {
			c.errorf(m.Span, "Undefined map: %s", mapName(m))
		}
		c.record(m, mi.Value)
		ts := make([]*Type, len(e.Args))
		for i, a := range e.Args[1:] {
			ts[i+1] = c.expr(a, useExpr)
			c.literal(e, i+1, Int)
		}
		if mi.Value.Kind == Stats && len(e.Args) > 1 {
			c.warnf(e.Span, "print()'s top and div arguments are ignored when used on stats() maps.")
		}
		return TypeNone
	}
	ts := make([]*Type, len(e.Args))
	for i, a := range e.Args {
		u := useExpr
		if i == 0 {
			u = usePrint
		}
		ts[i] = c.expr(a, u)
	}
	switch {
	case ts[0].IsNone():
	case len(e.Args) == 1 && c.goCompositeArg(e.Args[0]):
	case ts[0].Kind.IsAggregation() || ts[0].Kind == StackMode:
		c.errorf(e.Span, "%s type passed to %s() is not printable", ts[0], e.Name)
	case len(e.Args) != 1:
		c.errorf(e.Span, "Non-map print() only takes 1 argument, %d found", len(e.Args))
	}
	return TypeNone
}

func (c *checker) str(e *ast.Call) *Type {
	if !c.varargs(e, 1, 2) {
		c.args(e)
		return StringType(StringSize)
	}
	var t *Type
	if p, ok := e.Args[0].(*ast.PositionalParam); ok {
		t = c.record(p, c.positional(p, true))
	} else {
		t = c.expr(e.Args[0], useExpr)
		goStr := t.Kind == String && (c.info.GoValues[e.Args[0]] != nil || c.info.TpFields[e.Args[0]] != nil)
		if !t.IsNone() && t.Kind != Int && t.Kind != Pointer && !goStr {
			c.errorf(e.Span, "str() expects an integer or a pointer type as first argument (%s provided)", t)
		}
	}
	if len(e.Args) == 2 {
		lt := c.expr(e.Args[1], useExpr)
		if c.argKind(e, []*Type{t, lt}, 1, Int) {
			if n, ok := e.Args[1].(*ast.Int); ok && int64(n.Value) < 0 {
				c.errorf(e.Span, "str cannot use negative length (%d)", int64(n.Value))
			}
		}
	}
	return StringType(StringSize)
}

// stack checks ustack()/kstack() with optional mode and limit.
func (c *checker) stack(e *ast.Call, ci *CallInfo) *Type {
	st := Stack{Mode: "bpftrace", Limit: DefaultStackLimit}
	kernel := e.Name == "kstack"
	if !c.varargs(e, 0, 2) {
		c.args(e)
		return StackType(kernel, st)
	}
	isMode := func(a ast.Expr) (string, bool) {
		id, ok := a.(*ast.Ident)
		if ok && (id.Name == "bpftrace" || id.Name == "perf" || id.Name == "raw" || id.Name == "go") {
			c.record(id, &Type{Kind: StackMode})
			return id.Name, true
		}
		return "", false
	}
	limit := func(i int) {
		if c.expr(e.Args[i], useExpr).IsNone() {
			return
		}
		if c.literal(e, i, Int) {
			st.Limit = int(min(e.Args[i].(*ast.Int).Value, 1<<31))
		}
	}
	switch len(e.Args) {
	case 1:
		if m, ok := isMode(e.Args[0]); ok {
			st.Mode = m
		} else {
			limit(0)
		}
	case 2:
		if m, ok := isMode(e.Args[0]); ok {
			st.Mode = m
		} else if !c.expr(e.Args[0], useExpr).IsNone() {
			c.errorf(e.Span, "%s() expects a stack mode literal (%s provided)", e.Name, c.info.TypeOf(e.Args[0]).Kind)
		}
		limit(1)
	}
	if st.Limit > MaxStackLimit {
		c.errorf(e.Span, "%s([int limit]): limit shouldn't exceed %d, %d given", e.Name, MaxStackLimit, st.Limit)
	}
	ci.Stack = st
	return StackType(kernel, st)
}
