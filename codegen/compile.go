package codegen

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cilium/ebpf"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/types"
)

// Names of the BPF maps every program shares.
const (
	RingBufMap = "events"  // BPF_MAP_TYPE_RINGBUF carrying every record
	LostMap    = "lost"    // per-CPU u64 array: records the ring refused
	ScratchMap = "scratch" // per-CPU array, one entry: records, keys, strings
	ElapsedMap = "elapsed" // u64 array, one entry: the session start (see RoleElapsed)
	ExitedMap  = "exited"  // u64 array, one entry: set by exit(); probes then do nothing
)

// RingBufSize is the size of the event ring buffer in bytes (a power of two
// and a multiple of the page size). WakeupThreshold is how many unread
// bytes make a record wake the reader at once; below it the runtime's poll
// interval bounds the delay.
const (
	RingBufSize     = 1 << 20
	WakeupThreshold = RingBufSize / 4
)

// MaxScratch is the largest per-CPU scratch entry the kernel accepts
// (PCPU_MIN_UNIT_SIZE): the bound on one statement's records, keys and
// strings together.
const MaxScratch = 32 << 10

// MaxInsns bounds the IR of one program (register allocation grows faster
// than linearly; scripts rarely need a tenth of this).
const MaxInsns = 32 << 10

// Compile lowers a checked program to BPF programs, maps and the event
// table. It is deterministic and never touches the kernel. The error is an
// ast.ErrorList with source spans.
func Compile(prog *ast.Program, info *types.Info) (*Program, error) {
	return CompileSource(prog, info, "")
}

// CompileSource is Compile with the script's text: the source annotations
// of the instructions then quote each statement's line as written (Compile
// quotes the statement as ast.FormatNode prints it), and Program.Source is
// src.
func CompileSource(prog *ast.Program, info *types.Info, src string) (out *Program, err error) {
	if prog == nil || info == nil {
		return nil, ast.ErrorList{{Msg: "codegen: no program or no type information"}}
	}
	c := &compiler{prog: prog, info: info, file: prog.Filename, src: src, maps: map[string]*Map{}}
	ast.Inspect(prog, func(n ast.Node) bool {
		if call, ok := n.(*ast.Call); ok && call.Name == "exit" {
			c.exits = true
		}
		return !c.exits
	})
	defer func() {
		// A bug in lowering must not take the caller down: report it at
		// the probe being compiled.
		if r := recover(); r != nil {
			var l ast.ErrorList
			l.Add(c.file, c.span, "internal compiler error: %v", r)
			out, err = nil, l
		}
	}()
	out = &Program{Filename: prog.Filename, Source: src, Info: info, RingBuf: RingBufMap, Lost: LostMap}
	for i, pi := range info.Probes {
		for _, group := range groupTargets(pi) {
			c.span = apSpan(pi.Probe)
			p := c.compileProbe(len(out.Probes), i, pi, group)
			if p != nil {
				out.Probes = append(out.Probes, p)
			}
		}
	}
	if len(c.errs) > 0 {
		c.errs.Sort()
		return nil, c.errs
	}
	out.Events = c.events
	out.Maps = c.mapList()
	return out, nil
}

// compiler holds the state shared by the programs of one script.
type compiler struct {
	prog    *ast.Program
	info    *types.Info
	file    string
	src     string
	span    ast.Span // the probe being compiled, for internal errors
	errs    ast.ErrorList
	events  []*Event
	maps    map[string]*Map
	scratch int // bytes of scratch entry needed
	// exits is set when the script calls exit(): every probe but END
	// then starts by checking the exited flag, so nothing runs after
	// exit() even before the runtime has detached (bpftrace 0.17 races
	// there: an interval probe can fire once more).
	exits bool
}

func (c *compiler) errorf(span ast.Span, format string, args ...any) {
	c.errs.Add(c.file, span, format, args...)
}

// groupTargets splits a probe's targets by provider, in order of first
// appearance: each group becomes one BPF program.
func groupTargets(pi *types.ProbeInfo) [][]*types.Target {
	var groups [][]*types.Target
	idx := map[string]int{}
	for _, t := range pi.Targets {
		i, ok := idx[t.Provider]
		if !ok {
			i = len(groups)
			idx[t.Provider] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], t)
	}
	return groups
}

// apSpan is the span of a probe's attach points.
func apSpan(p *ast.Probe) ast.Span {
	var s ast.Span
	for _, ap := range p.AttachPoints {
		s = ast.Join(s, ap.Span)
	}
	if !s.Start.IsValid() {
		return p.Span
	}
	return s
}

// programType returns the program and attach type of a provider.
func programType(provider string) (ebpf.ProgramType, ebpf.AttachType, bool) {
	switch provider {
	case "begin", "end":
		return ebpf.RawTracepoint, ebpf.AttachNone, true
	case "uprobe", "uretprobe":
		return ebpf.Kprobe, ebpf.AttachTraceUprobeMulti, true
	case "kprobe", "kretprobe":
		return ebpf.Kprobe, ebpf.AttachNone, true
	case "tracepoint":
		return ebpf.TracePoint, ebpf.AttachNone, true
	case "interval", "profile":
		return ebpf.PerfEvent, ebpf.AttachNone, true
	}
	return ebpf.UnspecifiedProgram, ebpf.AttachNone, false
}

// compileProbe lowers one program: the targets of one provider of probe
// number probeIdx. n is the program's index in Program.Probes.
func (c *compiler) compileProbe(n, probeIdx int, pi *types.ProbeInfo, targets []*types.Target) *Probe {
	provider := targets[0].Provider
	span := apSpan(pi.Probe)
	typ, at, ok := programType(provider)
	if !ok {
		c.errorf(span, "%s probes are not supported yet", provider)
		return nil
	}
	p := &Probe{
		Name:       fmt.Sprintf("p%d_%s", n, provider),
		Provider:   provider,
		Targets:    targets,
		Type:       typ,
		AttachType: at,
		License:    "GPL",
		Span:       span,
	}
	nerr, nev := len(c.errs), len(c.events)
	l := c.lower(n, pi, p, false)
	if l.usedScratch && len(c.errs) == nerr {
		// Lower again with the scratch entry looked up at the start.
		c.errs, c.events = c.errs[:nerr], c.events[:nev]
		l = c.lower(n, pi, p, true)
	}
	if len(c.errs) > nerr {
		return nil
	}
	if len(l.b.insts) > MaxInsns {
		c.errorf(span, "the program is too large: more than %d instructions", MaxInsns)
		return nil
	}
	insns, err := l.b.Compile()
	if err != nil {
		c.errorf(span, "%s", strings.TrimPrefix(err.Error(), "codegen: "))
		return nil
	}
	p.Insns = insns
	return p
}

// lower runs the lowering of one program.
func (c *compiler) lower(n int, pi *types.ProbeInfo, p *Probe, withScratch bool) *lowerer {
	l := newLowerer(c, n, pi, p, withScratch)
	l.body()
	return l
}

// source returns the annotation of a node (a statement, a predicate, an
// attach point): "file:line text", where text is the node's source as
// written up to the end of its first line (or as ast.FormatNode prints
// it when the source is unknown).
func (c *compiler) source(n ast.Node) string {
	r := n.Range()
	text := ""
	if c.src != "" && r.Start.Offset >= 0 && r.End.Offset <= len(c.src) && r.Start.Offset < r.End.Offset {
		text = c.src[r.Start.Offset:r.End.Offset]
	} else {
		text = ast.FormatNode(n)
	}
	if i := strings.IndexByte(text, '\n'); i >= 0 {
		text = text[:i]
	}
	file := c.file
	if file == "" {
		file = "stdin"
	}
	return fmt.Sprintf("%s:%d %s", file, r.Start.Line, strings.TrimSpace(text))
}

// addEvent appends an event to the table and returns its id.
func (c *compiler) addEvent(e *Event) int {
	c.events = append(c.events, e)
	return len(c.events) - 1
}

// needScratch records that some statement uses size bytes of scratch.
func (c *compiler) needScratch(size int) { c.scratch = max(c.scratch, size) }

// mapList returns every map the programs reference, sorted by name.
func (c *compiler) mapList() []*Map {
	c.useMap(RingBufMap)
	c.useMap(LostMap)
	if c.scratch > 0 {
		m := c.useMap(ScratchMap)
		m.Spec.ValueSize = uint32((c.scratch + 7) &^ 7)
	}
	out := make([]*Map, 0, len(c.maps))
	for _, m := range c.maps {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
