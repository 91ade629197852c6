package types

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/gobpftrace/gobpftrace/symtab"
)

// Env supplies the facts about the host that the checker needs: which
// binaries exist and what functions they contain. HostEnv reads the real
// machine; tests use MapEnv.
type Env interface {
	// ResolveBinary turns a uprobe target as written into the path of an
	// executable file: a path containing '/' must exist, a bare name is
	// looked up in $PATH, and "" with pid > 0 means the executable of that
	// process. The error is shown to the user after the attach point.
	ResolveBinary(target string, pid int) (string, error)
	// Binary returns the function symbols of the executable at path (a path
	// ResolveBinary returned).
	Binary(path string) (*Binary, error)
	// TracepointFormat returns the record layout of a tracepoint (no
	// wildcards); its error is shown after the attach point.
	TracepointFormat(category, name string) (*TracepointFormat, error)
	// Tracepoints returns the "category:name" of the tracepoints matching
	// the wildcard pattern "CATEGORY:NAME", sorted.
	Tracepoints(pattern string) ([]string, error)
	// KernelFuncs returns the kernel functions (text symbols) matching the
	// wildcard pattern "FUNC" or "MODULE:FUNC", sorted, without modules.
	KernelFuncs(pattern string) ([]string, error)
}

// Binary is what the checker knows about one executable.
type Binary struct {
	Path    string
	IsGo    bool // a Go program (has .go.buildinfo): no kernel uretprobes
	Symbols []symtab.Symbol
	// FindReturns returns the link-time addresses of the RET instructions
	// of a function: where a return probe on a Go function attaches. nil
	// when the environment cannot tell.
	FindReturns func(symtab.Symbol) ([]uint64, error)
	// Go describes a Go binary's functions and runtime from its DWARF
	// (args, goid); nil means open the file at Path when first needed.
	Go GoSource
}

// returns returns the addresses of fn's RET instructions.
func (b *Binary) returns(fn symtab.Symbol) ([]uint64, error) {
	if b.FindReturns == nil {
		return nil, fmt.Errorf("%s: cannot find the return instructions of %s", b.Path, fn.Name)
	}
	return b.FindReturns(fn)
}

// funcAt returns the function that starts at the link-time address addr.
func (b *Binary) funcAt(addr uint64) (symtab.Symbol, bool) {
	for _, s := range b.Symbols {
		if s.Addr == addr {
			return s, true
		}
	}
	return symtab.Symbol{}, false
}

// Lookup returns the symbol with this exact name.
func (b *Binary) Lookup(name string) (symtab.Symbol, bool) {
	for _, s := range b.Symbols {
		if s.Name == name {
			return s, true
		}
	}
	return symtab.Symbol{}, false
}

// Match returns the symbols whose names match the bpftrace wildcard pattern
// (`*` matches any run of characters), sorted by name, without duplicates.
func (b *Binary) Match(pattern string) []symtab.Symbol {
	var out []symtab.Symbol
	seen := map[string]bool{}
	for _, s := range b.Symbols {
		if !seen[s.Name] && symtab.Match(pattern, s.Name) {
			seen[s.Name] = true
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// hasWildcard reports whether s holds a bpftrace wildcard.
func hasWildcard(s string) bool { return strings.ContainsAny(s, "*") }

// HostEnv reads binaries from the local file system with symtab. It caches
// what it read; the zero value is ready to use.
type HostEnv struct {
	mu    sync.Mutex
	cache map[string]*Binary
	ksyms kallsyms // /proc/kallsyms, read once
}

// ResolveBinary implements Env. With a pid, a path is the file that
// process sees there (through /proc/PID/root when the process is in
// another mount namespace, as in a container), and "" is its executable.
func (e *HostEnv) ResolveBinary(target string, pid int) (string, error) {
	notFound := fmt.Errorf("uprobe target file '%s' does not exist or is not executable", target)
	switch {
	case target == "" && pid > 0:
		p, ok := symtab.ProcessPath(pid, "")
		if !ok {
			return "", fmt.Errorf("cannot find the executable of pid %d", pid)
		}
		return p, nil
	case target == "":
		return "", errors.New("uprobe target file '' does not exist or is not executable")
	case !strings.Contains(target, "/"):
		if p, err := exec.LookPath(target); err == nil {
			return p, nil
		}
		if p := findLibrary(target); p != "" {
			return p, nil
		}
		return "", notFound
	}
	path := target
	if pid > 0 {
		p, ok := symtab.ProcessPath(pid, target)
		if !ok {
			return "", notFound
		}
		path = p
	}
	st, err := os.Stat(path)
	if err != nil || st.IsDir() || (st.Mode().Perm()&0o111 == 0 && !isSharedLib(path)) {
		return "", notFound
	}
	if abs, err := filepath.Abs(path); err == nil {
		return abs, nil
	}
	return path, nil
}

func isSharedLib(path string) bool { return strings.Contains(filepath.Base(path), ".so") }

// libDirs are where findLibrary looks, in order (Debian's multiarch
// directories first).
var libDirs = []string{
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
	"/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
	"/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib",
}

// findLibrary resolves a bare library name as bpftrace does for
// `uprobe:libc:malloc`: "libc", "libc.so" or "c" name libc.so.6. The
// unversioned file wins, then the lowest version, so the choice is stable;
// files that are not ELF (libc.so is a linker script on Debian) are
// skipped.
func findLibrary(name string) string {
	base := name
	if !strings.HasPrefix(base, "lib") {
		base = "lib" + base
	}
	base = strings.TrimSuffix(base, ".so")
	for _, dir := range libDirs {
		if p := filepath.Join(dir, base+".so"); isELF(p) {
			return p
		}
		matches, _ := filepath.Glob(filepath.Join(dir, base+".so.*"))
		for _, m := range matches {
			if isELF(m) {
				return m
			}
		}
	}
	return ""
}

// isELF reports whether p is (a link to) a regular ELF file.
func isELF(p string) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	var magic [4]byte
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return false
	}
	_, err = io.ReadFull(f, magic[:])
	return err == nil && string(magic[:]) == "\x7fELF"
}

// Binary implements Env.
func (e *HostEnv) Binary(path string) (*Binary, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if b, ok := e.cache[path]; ok {
		return b, nil
	}
	t, err := symtab.Open(path)
	if err != nil {
		return nil, err
	}
	b := &Binary{Path: path, IsGo: t.IsGo, Symbols: t.Symbols(), FindReturns: t.Returns}
	if t.IsGo {
		b.Go = &lazyGo{path: path}
	}
	if e.cache == nil {
		e.cache = map[string]*Binary{}
	}
	e.cache[path] = b
	return b, nil
}

// MapEnv is an in-memory Env for tests: Binaries by path, and Exe giving the
// executable of a pid. A bare name resolves to the binary whose base name it
// is; "./x" resolves to "x" when that key exists.
type MapEnv struct {
	Binaries map[string]*Binary
	Exe      map[int]string
	// TpFormats holds the tracepoints by "category:name".
	TpFormats map[string]*TracepointFormat
	// Kallsyms is a /proc/kallsyms listing: the kernel functions.
	Kallsyms string
}

// ResolveBinary implements Env.
func (e *MapEnv) ResolveBinary(target string, pid int) (string, error) {
	if target == "" && pid > 0 {
		if p, ok := e.Exe[pid]; ok {
			return p, nil
		}
		return "", fmt.Errorf("cannot find the executable of pid %d", pid)
	}
	if _, ok := e.Binaries[target]; ok {
		return target, nil
	}
	if !strings.Contains(target, "/") {
		keys := make([]string, 0, len(e.Binaries))
		for k := range e.Binaries {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if filepath.Base(k) == target {
				return k, nil
			}
		}
	}
	return "", fmt.Errorf("uprobe target file '%s' does not exist or is not executable", target)
}

// Binary implements Env.
func (e *MapEnv) Binary(path string) (*Binary, error) {
	if b, ok := e.Binaries[path]; ok {
		return b, nil
	}
	return nil, fmt.Errorf("%s: no such binary", path)
}
