package types

import (
	"sort"

	"github.com/gobpftrace/gobpftrace/ast"
)

// Info is what Check learned about a program, in side tables keyed by node,
// like go/types.Info. Codegen reads it; nothing in it refers to the host
// except the resolved attach targets.
type Info struct {
	// Types holds the type of every checked expression. Variables hold
	// their final type in the probe (strings widen as bpftrace widens them).
	Types map[ast.Expr]*Type
	// Maps holds every @map by name (the anonymous map is "").
	Maps map[string]*MapInfo
	// Probes holds one entry per ast.Probe, in source order.
	Probes []*ProbeInfo
	// Builtins maps each identifier that names a builtin (pid, arg0, comm,
	// retval, ...) to its canonical name.
	Builtins map[*ast.Ident]string
	// Calls holds what was resolved about each function call.
	Calls map[*ast.Call]*CallInfo
	// Params are the positional parameters the program was checked with
	// ($1 is Params[0]).
	Params []string
	// GoValues says where each Go value reached from `args` or `rets` is
	// (args and rets themselves, their fields, elements, ...); nil when
	// the program has none.
	GoValues map[ast.Expr]*GoValue
	// GoComposites holds each print or printf (%s) argument that is a Go
	// struct, array, slice, interface or pointer to a struct or array,
	// expanded into the leaves its record carries; nil when none.
	GoComposites map[ast.Expr]*GoComposite
	// TpFields says which tracepoint field each `args.NAME` reads (and
	// marks `args` itself); nil when the program has none.
	TpFields map[ast.Expr]*TpField
	// Goids holds, for each goid builtin, the offset of goid in runtime.g.
	Goids map[*ast.Ident]int
	// Warnings lists the warnings, sorted by position, also when there are
	// no errors.
	Warnings ast.ErrorList
}

// SortedMaps returns the maps sorted by name.
func (in *Info) SortedMaps() []*MapInfo {
	out := make([]*MapInfo, 0, len(in.Maps))
	for _, m := range in.Maps {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// TypeOf returns the recorded type of e, or TypeNone.
func (in *Info) TypeOf(e ast.Expr) *Type {
	if t, ok := in.Types[e]; ok && t != nil {
		return t
	}
	return TypeNone
}

// MapInfo describes one map. Keys is nil for a scalar map (`@x`); integer
// keys are 64-bit. Value.Kind tells a plain map (Int, String, Tuple, ...)
// from an aggregation (Count, Sum, ..., Hist, Lhist).
type MapInfo struct {
	Name  string
	Keys  []*Type
	Value *Type
	First ast.Span // the first use in source order

	keysSet bool // Keys was set by a use
}

// ProbeInfo describes one probe: its expanded attach targets and its
// scratch variables.
type ProbeInfo struct {
	Probe   *ast.Probe
	Targets []*Target // expanded: one per symbol a wildcard matched
	Vars    []Var     // sorted by name
}

// Var is one scratch variable of a probe with its final type.
type Var struct {
	Name string // without the '$'
	Type *Type
}

// Target is one place a probe attaches to, after wildcard expansion.
type Target struct {
	AttachPoint *ast.AttachPoint
	Provider    string // canonical: begin, end, uprobe, uretprobe, interval, profile, ...
	// Name is the probe name as the `probe` builtin prints it:
	// "BEGIN", "uprobe:/usr/bin/x:main.f", "interval:s:1".
	Name string

	// uprobe/uretprobe
	Binary  string // resolved path of the executable
	IsGo    bool   // the binary is a Go program
	Symbol  string // "" when attaching to a raw Address
	Offset  uint64 // SYM+OFF
	Address uint64 // link-time address: the symbol's plus Offset, or the raw address
	// Returns, for a uretprobe on a Go binary, holds the link-time
	// addresses of the function's RET instructions. Such a probe is a plain
	// uprobe at each of them, not a kernel uretprobe: a kernel uretprobe
	// replaces the return address on the stack, and Go, which copies
	// goroutine stacks, then crashes the program. At a RET the frame is
	// gone and, with Go's register ABI, RAX holds the first result (retval).
	Returns []uint64

	// tracepoint
	Category   string
	Tracepoint string            // the tracepoint's name in Category
	Format     *TracepointFormat // its record layout

	// interval/profile: exactly one of PeriodNS and Freq is set.
	PeriodNS uint64 // fire every PeriodNS nanoseconds
	Freq     uint64 // fire Freq times per second (hz)
}

// CallInfo is what the checker resolved about one call.
type CallInfo struct {
	Func string
	// Map is the map a call stores into or names: the map of count() and
	// sum() assignments, the argument of delete/print/clear/zero.
	Map string
	// Register is set for reg("name").
	Register *Register
	// Stack is set for ustack()/kstack().
	Stack Stack
	// Verbs are printf's conversions in order, one per argument.
	Verbs []Verb
}

// Verb is one printf conversion such as `%-5lld`.
type Verb struct {
	Text  string // as written, `%` included
	Flags string // the `-`, width and precision part
	Conv  string // length modifier and conversion: "d", "lld", "s", "rx"
	Kind  Kind   // Int, String, Float, or (for %r) String-like buffers
}
