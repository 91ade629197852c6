package types

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/symtab"
)

// kprobe parses kprobe:FUNC, kprobe:FUNC+OFF and kprobe:MODULE:FUNC (and
// the same for kretprobe, without an offset), and expands wildcards
// against the kernel's text symbols. An exact name the kernel does not
// list only gets 0.17's warning: the attach step is where it fails.
func (c *checker) kprobe(ap *ast.AttachPoint, parts []string, fail func(string, ...any)) []*Target {
	name := providerName(ap.Provider)
	var mod, fn string
	switch len(parts) {
	case 1:
		fn = parts[0]
	case 2:
		mod, fn = parts[0], parts[1]
	default:
		fail("%s probe type requires 1 argument", name)
		return nil
	}
	t := &Target{AttachPoint: ap, Provider: ap.Provider}
	if strings.Contains(fn, "+") {
		var ok bool
		if fn, t.Offset, ok = splitOffset(fn, ap.Provider == "kretprobe", fail); !ok {
			return nil
		}
	}
	if fn == "" {
		fail("%s should be attached to a function", name)
		return nil
	}
	prefix := ap.Provider + ":"
	if mod != "" {
		prefix += mod + ":"
	}
	pattern := fn
	if mod != "" {
		pattern = mod + ":" + fn
	}
	if hasWildcard(fn) || hasWildcard(mod) {
		if t.Offset != 0 {
			fail("Cannot use wildcards with an offset")
			return nil
		}
		funcs, err := c.env.KernelFuncs(pattern)
		if err != nil {
			fail("%s", err)
			return nil
		}
		if len(funcs) == 0 {
			fail("no kernel function matches '%s'", pattern)
			return nil
		}
		out := make([]*Target, 0, len(funcs))
		for _, f := range funcs {
			out = append(out, &Target{AttachPoint: ap, Provider: ap.Provider, Symbol: f, Name: ap.Provider + ":" + f})
		}
		return out
	}
	if funcs, err := c.env.KernelFuncs(pattern); err == nil && len(funcs) == 0 {
		c.errs.Warn(c.file, ap.Span, "%s is not traceable (either non-existing, inlined, or marked as \"notrace\"); attaching to it will likely fail", fn)
	}
	t.Symbol, t.Name = fn, prefix+fn
	if t.Offset > 0 {
		t.Name += fmt.Sprintf("+%d", t.Offset)
	}
	return []*Target{t}
}

// kernelSym is one text symbol of /proc/kallsyms.
type kernelSym struct {
	Name   string
	Module string // "" for the kernel image
}

// parseKallsyms reads the text symbols ('t' and 'T') of a /proc/kallsyms
// listing: "ADDR TYPE NAME [MODULE]".
func parseKallsyms(r io.Reader) ([]kernelSym, error) {
	var out []kernelSym
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 3 || (f[1] != "t" && f[1] != "T") {
			continue
		}
		s := kernelSym{Name: f[2]}
		if len(f) >= 4 {
			s.Module = strings.Trim(f[3], "[]")
		}
		out = append(out, s)
	}
	return out, sc.Err()
}

// matchKernelFuncs returns the names of the symbols matching pattern,
// "FUNC" or "MODULE:FUNC" with bpftrace wildcards, sorted, without
// duplicates. Without a module any symbol counts.
func matchKernelFuncs(syms []kernelSym, pattern string) []string {
	mod, fn, hasMod := strings.Cut(pattern, ":")
	if !hasMod {
		fn = mod
	}
	seen := map[string]bool{}
	var out []string
	for _, s := range syms {
		if hasMod && !symtab.Match(mod, s.Module) {
			continue
		}
		if !seen[s.Name] && symtab.Match(fn, s.Name) {
			seen[s.Name] = true
			out = append(out, s.Name)
		}
	}
	sort.Strings(out)
	return out
}

// kallsyms caches the host's kernel text symbols.
type kallsyms struct {
	once sync.Once
	syms []kernelSym
	err  error
}

// KallsymsPath is where the host's kernel symbols are read.
const KallsymsPath = "/proc/kallsyms"

func (k *kallsyms) load() ([]kernelSym, error) {
	k.once.Do(func() {
		f, err := os.Open(KallsymsPath)
		if err != nil {
			k.err = fmt.Errorf("cannot read the kernel's functions: %w", err)
			return
		}
		defer f.Close()
		k.syms, k.err = parseKallsyms(f)
	})
	return k.syms, k.err
}

// KernelFuncs implements Env: it matches /proc/kallsyms.
func (e *HostEnv) KernelFuncs(pattern string) ([]string, error) {
	syms, err := e.ksyms.load()
	if err != nil {
		return nil, err
	}
	return matchKernelFuncs(syms, pattern), nil
}

// KernelFuncs implements Env: it matches MapEnv.Kallsyms.
func (e *MapEnv) KernelFuncs(pattern string) ([]string, error) {
	syms, err := parseKallsyms(strings.NewReader(e.Kallsyms))
	if err != nil {
		return nil, err
	}
	return matchKernelFuncs(syms, pattern), nil
}
