package codegen

import (
	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/types"
)

// Program is a compiled script: everything the runtime needs to load,
// attach and decode, and nothing that depends on the host it will run on
// (no file descriptors, no kernel reads). The same script and the same
// types.Info give the same Program, byte for byte.
type Program struct {
	Filename string
	Source   string
	Probes   []*Probe // in source order; BEGIN/END probes included
	Maps     []*Map   // every BPF map the programs reference, sorted by Name
	Events   []*Event // the event table: a record's leading u64 is its index
	// RingBuf names the ring buffer map every event record goes through,
	// and Lost the per-CPU u64 array (key 0) counting records the ring
	// buffer refused.
	RingBuf string
	Lost    string
	Info    *types.Info
}

// Probe is one BPF program and the places it attaches to. One ast.Probe with
// several attach points of different providers compiles to one Probe per
// provider.
type Probe struct {
	Name       string // BPF program name: short, deterministic, unique (e.g. "p0_uprobe")
	Provider   string // canonical provider of every target
	Targets    []*types.Target
	Type       ebpf.ProgramType
	AttachType ebpf.AttachType
	License    string
	Insns      asm.Instructions
	Span       ast.Span // the probe's attach points, for messages
}

// MapRole tells what a BPF map is for.
type MapRole int

const (
	RoleUser    MapRole = iota // a script map (@name); User is set
	RoleRingBuf                // the event ring buffer
	RoleLost                   // the lost-record counter
	RoleScratch                // per-CPU scratch space for records, strings, keys
	RoleOther                  // anything else the programs need
	// RoleElapsed is a one-entry u64 array whose key 0 the runtime sets to
	// the session's start (CLOCK_MONOTONIC nanoseconds, the clock of
	// bpf_ktime_get_ns) before attaching anything; the elapsed builtin
	// subtracts it from nsecs (0 when unset).
	RoleElapsed
	// RoleStack is a stack trace map (BPF_MAP_TYPE_STACK_TRACE) holding the
	// stacks used as map keys: the key stores the stack id (and, for user
	// stacks, the pid in the high 32 bits); StackMapName names it.
	RoleStack
)

// Map is one BPF map. Spec is a deterministic blueprint; the runtime creates
// the map from it.
type Map struct {
	Name string // the name programs reference with LoadMapPtr(...).WithReference(Name)
	Role MapRole
	Spec *ebpf.MapSpec
	// User describes a script map: its key and value types. The key's
	// bytes are the keys laid out as types.TupleOf(User.Keys...) (a scalar
	// map has a single u64 zero key); hist and lhist maps add a u64 bucket
	// index after the user key, at BucketOffset(User). Values of aggregations are per-CPU and
	// are merged by the runtime: count and sum add, min and max compare,
	// avg and stats hold {count, total} pairs.
	User *types.MapInfo
	// Lhist holds an lhist map's bounds (from its lhist() calls).
	Lhist LhistBounds
}

// EventKind tells how the runtime handles a record.
type EventKind int

const (
	EventPrintf EventKind = iota // Format with Args
	EventPrint                   // print(value) (Args[0]) or print(@map) (Map)
	EventExit                    // exit(): stop the session
	EventClear                   // clear(@map)
	EventZero                    // zero(@map)
	EventDelete                  // reserved
	EventTime                    // time(fmt)
	EventJoin                    // join(array)
	EventSystem                  // system(fmt, args)
	EventCat                     // cat(fmt, args)
)

// Event describes one kind of record. Every record starts with a u64 that
// indexes Program.Events; the arguments follow at their Offsets (natural
// alignment, never below 8). Format strings never enter the kernel.
type Event struct {
	Kind   EventKind
	Format string // printf/system/cat/time format, as written in the script (escapes decoded)
	Args   []Arg
	Size   int      // total record size in bytes, id included
	Map    string   // print/clear/zero of a map: the script map's name (without @)
	Span   ast.Span // the call that emits it, for messages
	Probe  int      // index in Program.Probes of the program that emits it
}

// Arg is one value inside a record.
type Arg struct {
	Offset int
	Type   *types.Type
	// Size is the argument's size in the record. Most arguments take
	// Type.Size bytes. Stacks are written inline by bpf_get_stack: a Ustack
	// argument is the process id (u64) followed by Type.Stack.Limit u64
	// frame addresses, a Kstack argument just the frames (unused frames are
	// zero). Probe and Usym-of-func arguments identify the firing target:
	// the program's index in Program.Probes in the high 32 bits, the
	// target's index in its Targets (the attach cookie when a program has
	// several targets) in the low 32 bits; user space resolves the name.
	Size int
	// Go is set for a Go composite (print(args.m)): Type is then a Tuple
	// of its leaves, and Go.Shape says how they print.
	Go *types.GoComposite
}
