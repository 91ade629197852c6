package runtime

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/gobpftrace/gobpftrace/output"
	"github.com/gobpftrace/gobpftrace/symtab"
)

// symbolizer turns stack addresses into `symbol+offset` frames. Symbol
// tables are read once per binary and kept for the session, and a process's
// mappings are remembered the first time one of its stacks is seen, so
// stacks still symbolize after the process exits (bpftrace 0.17 prints bare
// addresses then).
type symbolizer struct {
	mu      sync.Mutex
	tables  map[string]*symtab.Table // by path; nil when unreadable
	procs   map[uint32][]mapping
	ksyms   []ksym
	kloaded bool
}

type mapping struct {
	start, end, off uint64
	path            string
}

type ksym struct {
	addr uint64
	name string
}

func newSymbolizer() *symbolizer {
	return &symbolizer{tables: map[string]*symtab.Table{}, procs: map[uint32][]mapping{}}
}

// preload reads a binary's symbols now.
func (s *symbolizer) preload(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.table(path)
}

func (s *symbolizer) table(path string) *symtab.Table {
	t, ok := s.tables[path]
	if !ok {
		t, _ = symtab.Open(path)
		s.tables[path] = t
	}
	return t
}

// snapshot reads the mappings of a process that is still running and keeps
// them, so that its stacks (map keys are printed only at the end) still
// symbolize after it exits and its PIE load address is gone.
func (s *symbolizer) snapshot(pid uint32) {
	maps, err := readMaps(pid)
	if err != nil || len(maps) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.procs[pid] = maps
	// Open the symbol tables now: a path under /proc/PID/root is gone
	// once the process has exited.
	for _, m := range maps {
		s.table(m.path)
	}
}

// user symbolizes the frames of a user stack of process pid. With lines
// (the `go` stack mode) frames in Go code also get their file:line, and
// the calls inlined at a frame's address come before it, marked Inlined.
func (s *symbolizer) user(pid uint32, addrs []uint64, lines bool) []output.Frame {
	s.mu.Lock()
	defer s.mu.Unlock()
	maps, ok := s.procs[pid]
	if !ok {
		maps, _ = readMaps(pid)
		s.procs[pid] = maps
	}
	frames := make([]output.Frame, 0, len(addrs))
	for i, a := range addrs {
		f, t, v := s.userFrame(maps, a)
		if lines && t != nil && f.Symbol != "" {
			// A return address points after its call instruction,
			// which may start the next line: look up the call itself.
			pc := v
			if i > 0 {
				pc--
			}
			frames = append(frames, goFrames(t, f, pc)...)
			continue
		}
		frames = append(frames, f)
	}
	return frames
}

// goFrames returns frame f of link-time address pc in t with its source
// position, preceded by the calls inlined there (innermost first).
func goFrames(t *symtab.Table, f output.Frame, pc uint64) []output.Frame {
	pos := t.InlinedAt(pc)
	if len(pos) == 0 {
		return []output.Frame{f}
	}
	out := make([]output.Frame, 0, len(pos))
	for _, p := range pos[:len(pos)-1] {
		out = append(out, output.Frame{Addr: f.Addr, Symbol: p.Func, File: p.File, Line: p.Line, Inlined: true})
	}
	last := pos[len(pos)-1]
	f.File, f.Line = last.File, last.Line
	return append(out, f)
}

// userFrame symbolizes addr, and returns the table that resolved it with
// addr's link-time address in it.
func (s *symbolizer) userFrame(maps []mapping, addr uint64) (output.Frame, *symtab.Table, uint64) {
	f := output.Frame{Addr: addr}
	for _, m := range maps {
		if addr < m.start || addr >= m.end {
			continue
		}
		t := s.table(m.path)
		if t == nil {
			return f, nil, 0
		}
		if v, ok := t.Address(addr - m.start + m.off); ok {
			if sym, off, ok := t.Resolve(v); ok {
				f.Symbol, f.Offset = sym.Name, off
				return f, t, v
			}
		}
		return f, nil, 0
	}
	// The process is gone and its mappings were never read: try the
	// traced binaries at their link-time addresses (non-PIE executables,
	// which Go builds by default).
	// An address outside the binary's executable segments (a PIE binary
	// loaded elsewhere, a library) stays a bare address rather than
	// becoming a wrong symbol.
	for _, t := range s.tables {
		if t == nil {
			continue
		}
		if _, err := t.FileOffset(addr); err != nil {
			continue
		}
		if sym, off, ok := t.Resolve(addr); ok {
			f.Symbol, f.Offset = sym.Name, off
			return f, t, addr
		}
	}
	return f, nil, 0
}

// readMaps reads the file-backed executable mappings of a process.
func readMaps(pid uint32) ([]mapping, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/maps", pid))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []mapping
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// start-end perms offset dev inode path
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || !strings.Contains(fields[1], "x") || !strings.HasPrefix(fields[5], "/") {
			continue
		}
		lo, hi, _ := strings.Cut(fields[0], "-")
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		off, err3 := strconv.ParseUint(fields[2], 16, 64)
		if err1 != nil || err2 != nil || err3 != nil {
			continue
		}
		path := fields[5]
		// Read through the process's root so binaries in other mount
		// namespaces resolve too.
		if rooted := fmt.Sprintf("/proc/%d/root%s", pid, path); fileExists(rooted) {
			path = rooted
		}
		out = append(out, mapping{start: start, end: end, off: off, path: path})
	}
	return out, sc.Err()
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// kernel symbolizes kernel stack frames from /proc/kallsyms.
func (s *symbolizer) kernel(addrs []uint64) []output.Frame {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.kloaded {
		s.kloaded = true
		s.ksyms = readKallsyms()
	}
	frames := make([]output.Frame, len(addrs))
	for i, a := range addrs {
		frames[i].Addr = a
		j := sort.Search(len(s.ksyms), func(j int) bool { return s.ksyms[j].addr > a }) - 1
		if j >= 0 {
			frames[i].Symbol, frames[i].Offset = s.ksyms[j].name, a-s.ksyms[j].addr
		}
	}
	return frames
}

func readKallsyms() []ksym {
	f, err := os.Open("/proc/kallsyms")
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []ksym
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 3 || (fields[1] != "t" && fields[1] != "T") {
			continue
		}
		a, err := strconv.ParseUint(fields[0], 16, 64)
		if err != nil || a == 0 {
			continue
		}
		out = append(out, ksym{addr: a, name: fields[2]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].addr < out[j].addr })
	return out
}
