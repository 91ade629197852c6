package runtime

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/features"
	"github.com/cilium/ebpf/link"

	"github.com/gobpftrace/gobpftrace/symtab"
)

// haveUprobeMulti reports whether the kernel has uprobe_multi links
// (Linux ≥ 6.6): one link for many functions of a binary.
func haveUprobeMulti() bool { return features.HaveBPFLinkUprobeMulti() == nil }

// UprobeTarget is one resolved uprobe location: a file offset in Path.
type UprobeTarget struct {
	Symbol string // "" for a raw address
	Offset uint64 // file offset, as the kernel wants it
	Cookie uint64 // the attach cookie (Probe.Cookies)
}

// ResolveUprobe turns a uprobe Probe into file offsets: each symbol looked
// up in the binary's symbol table (.symtab, .dynsym or .gopclntab) plus
// p.Offset, or p.Address (a link-time virtual address) when there are no
// symbols. With a PID, Path is resolved inside the process's root
// (/proc/PID/root/Path, for a process in another mount namespace) and no
// Path means the process's executable (/proc/PID/exe).
//
// A uretprobe on a Go binary resolves to the function's RET instructions,
// every one with the function's cookie: it is attached as plain uprobes
// there, because a kernel uretprobe crashes Go programs (it replaces the
// return address on the stack, and Go copies goroutine stacks).
func ResolveUprobe(p Probe) (string, []UprobeTarget, error) {
	path, targets, _, err := resolveUprobe(p)
	return path, targets, err
}

// resolveUprobe is ResolveUprobe, also telling whether the targets are to
// be kernel uretprobes (false for the RETs of a Go function).
func resolveUprobe(p Probe) (string, []UprobeTarget, bool, error) {
	path := p.Path
	if path == "" && p.PID == 0 {
		return "", nil, false, errors.New("uprobe needs a binary path or a PID")
	}
	if p.PID > 0 {
		// The binary as the process sees it: through /proc/PID/root when
		// it is in another mount namespace; "" is /proc/PID/exe.
		if rp, ok := symtab.ProcessPath(p.PID, path); ok {
			path = rp
		} else if path == "" {
			path = "/proc/" + strconv.Itoa(p.PID) + "/exe"
		}
	}
	tab, err := symbols(path)
	if err != nil {
		return "", nil, false, err
	}
	if p.Provider == Uretprobe && tab.IsGo {
		targets, err := goReturns(tab, p)
		return path, targets, false, err
	}
	targets, err := entries(tab, p)
	return path, targets, p.Provider == Uretprobe, err
}

// entries resolves the symbols, or the address, of p.
func entries(tab *symtab.Table, p Probe) ([]UprobeTarget, error) {
	if len(p.Symbols) == 0 {
		if p.Address == 0 {
			return nil, errors.New("uprobe needs a symbol or an address")
		}
		off, err := tab.FileOffset(p.Address + p.Offset)
		if err != nil {
			return nil, err
		}
		return []UprobeTarget{{Offset: off, Cookie: cookie(p, 0)}}, nil
	}
	out := make([]UprobeTarget, 0, len(p.Symbols))
	for i, name := range p.Symbols {
		sym, ok := tab.Lookup(name)
		if !ok {
			return nil, fmt.Errorf("symbol %q not found in %s", name, tab.Path)
		}
		if sym.Size > 0 && p.Offset >= sym.Size {
			return nil, fmt.Errorf("offset %d is beyond the end of %s (size %d)", p.Offset, name, sym.Size)
		}
		off, err := tab.FileOffset(sym.Addr + p.Offset)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out = append(out, UprobeTarget{Symbol: name, Offset: off, Cookie: cookie(p, i)})
	}
	return out, nil
}

// goReturns resolves a uretprobe on a Go binary: one target at each RET
// of each function (p.Symbols, or the function starting at p.Address),
// with that function's cookie.
func goReturns(tab *symtab.Table, p Probe) ([]UprobeTarget, error) {
	if p.Offset != 0 {
		return nil, errors.New("uretprobe takes no offset")
	}
	var funcs []symtab.Symbol
	for _, name := range p.Symbols {
		sym, ok := tab.Lookup(name)
		if !ok {
			return nil, fmt.Errorf("symbol %q not found in %s", name, tab.Path)
		}
		funcs = append(funcs, sym)
	}
	if len(p.Symbols) == 0 {
		sym, off, ok := tab.Resolve(p.Address)
		if p.Address == 0 || !ok || off != 0 {
			return nil, fmt.Errorf("uretprobe on Go binary %s: address %#x is not the start of a function", tab.Path, p.Address)
		}
		funcs = append(funcs, sym)
	}
	var out []UprobeTarget
	for i, sym := range funcs {
		rets, err := tab.Returns(sym)
		if err != nil {
			return nil, err
		}
		for _, r := range rets {
			off, err := tab.FileOffset(r)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", sym.Name, err)
			}
			out = append(out, UprobeTarget{Symbol: sym.Name, Offset: off, Cookie: cookie(p, i)})
		}
	}
	return out, nil
}

// cookie returns the attach cookie of target i of p, 0 when none is set.
func cookie(p Probe, i int) uint64 {
	if i < len(p.Cookies) {
		return p.Cookies[i]
	}
	return 0
}

// symtabs caches symbol tables by path for the life of the process; a
// rebuilt binary (new size or mtime) is read again.
var symtabs sync.Map // path → cachedTable

type cachedTable struct {
	stamp string
	tab   *symtab.Table
}

func symbols(path string) (*symtab.Table, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	stamp := fmt.Sprintf("%d/%d", fi.Size(), fi.ModTime().UnixNano())
	if c, ok := symtabs.Load(path); ok && c.(cachedTable).stamp == stamp {
		return c.(cachedTable).tab, nil
	}
	tab, err := symtab.Open(path)
	if err != nil {
		return nil, err
	}
	symtabs.Store(path, cachedTable{stamp, tab})
	return tab, nil
}

// ExpandSymbols returns the function names in the binary at path that
// match pattern, where '*' matches any run of characters (bpftrace's
// wildcard), in address order without duplicates.
func ExpandSymbols(path, pattern string) ([]string, error) {
	tab, err := symbols(path)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []string
	for _, s := range tab.Symbols() {
		if !seen[s.Name] && symtab.Match(pattern, s.Name) {
			seen[s.Name] = true
			out = append(out, s.Name)
		}
	}
	return out, nil
}

// attachUprobe attaches prog to every target of p: with one uprobe_multi
// link when the kernel has them, else (or when that fails) with one
// perf-event uprobe per target.
func attachUprobe(t target, p Probe) ([]io.Closer, error) {
	prog := t.prog
	path, targets, ret, err := resolveUprobe(p)
	if err != nil {
		return nil, err
	}
	ex, err := link.OpenExecutable(path)
	if err != nil {
		return nil, err
	}
	if haveUprobeMulti() {
		l, merr := uprobeMulti(ex, prog, targets, p.PID, ret)
		if merr == nil {
			return []io.Closer{l}, nil
		}
		// A program loaded without AttachTraceUprobeMulti fails here and
		// attaches below; one loaded with it cannot attach to a perf
		// event, so the fallback uses its plain twin.
		if t.plain != nil {
			if twin, err := t.plain(); err == nil {
				prog = twin
			}
		}
	}
	return uprobeEach(ex, prog, targets, p.PID, ret)
}

func uprobeMulti(ex *link.Executable, prog *ebpf.Program, targets []UprobeTarget, pid int, ret bool) (link.Link, error) {
	opts := &link.UprobeMultiOptions{PID: uint32(pid)}
	for _, t := range targets {
		opts.Addresses = append(opts.Addresses, t.Offset)
		opts.Cookies = append(opts.Cookies, t.Cookie)
	}
	if ret {
		return ex.UretprobeMulti(nil, prog, opts)
	}
	return ex.UprobeMulti(nil, prog, opts)
}

func uprobeEach(ex *link.Executable, prog *ebpf.Program, targets []UprobeTarget, pid int, ret bool) ([]io.Closer, error) {
	out := make([]io.Closer, 0, len(targets))
	for _, t := range targets {
		opts := &link.UprobeOptions{Address: t.Offset, PID: pid, Cookie: t.Cookie}
		var l link.Link
		var err error
		if ret {
			l, err = ex.Uretprobe("", prog, opts)
		} else {
			l, err = ex.Uprobe("", prog, opts)
		}
		if err != nil {
			closeAll(out)
			if t.Symbol != "" {
				return nil, fmt.Errorf("%s: %w", t.Symbol, err)
			}
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}
