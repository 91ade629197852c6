package types

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"

	"github.com/gobpftrace/gobpftrace/goabi"
)

// GoSource answers questions about one Go binary that need its DWARF: the
// parameters of its functions and the layout of runtime.g. HostEnv opens a
// goabi.Binary lazily; tests set Binary.Go to a StaticGo.
type GoSource interface {
	Func(name string) (*goabi.Func, error)
	GoidOffset() (int, error)
	// ABI is the binary's GOARCH and whether it uses the register ABI.
	ABI() (arch string, regABI bool)
}

// StaticGo is a GoSource built by hand, for tests.
type StaticGo struct {
	Arch   string // "" means amd64
	NoReg  bool   // the stack ABI (Go < 1.17)
	Funcs  map[string]*goabi.Func
	Goid   int   // goid offset in runtime.g
	Err    error // returned by Func and GoidOffset when set (e.g. goabi.ErrNoDWARF)
	GoidOK bool  // Goid is known
}

// Func implements GoSource.
func (s *StaticGo) Func(name string) (*goabi.Func, error) {
	if s.Err != nil {
		return nil, s.Err
	}
	if f, ok := s.Funcs[name]; ok {
		return f, nil
	}
	return nil, fmt.Errorf("no DWARF description of %s", name)
}

// GoidOffset implements GoSource.
func (s *StaticGo) GoidOffset() (int, error) {
	if s.Err != nil {
		return 0, s.Err
	}
	if !s.GoidOK {
		return 0, errors.New("no runtime.g in DWARF")
	}
	return s.Goid, nil
}

// ABI implements GoSource.
func (s *StaticGo) ABI() (string, bool) {
	if s.Arch == "" {
		return "amd64", !s.NoReg
	}
	return s.Arch, !s.NoReg
}

// hostGo is a goabi.Binary as a GoSource.
type hostGo struct{ b *goabi.Binary }

func (h hostGo) Func(name string) (*goabi.Func, error) { return h.b.Func(name) }

// FuncAt implements funcAter.
func (h hostGo) FuncAt(name string, entry, size uint64) (*goabi.Func, error) {
	return h.b.FuncAt(name, entry, size)
}
func (h hostGo) GoidOffset() (int, error) { return h.b.GoidOffset() }
func (h hostGo) ABI() (string, bool)      { return h.b.Arch, h.b.RegABI }

// lazyGo is HostEnv's GoSource: the goabi.Binary is opened on first use,
// once per HostEnv, so a compile that never asks a Go question never reads
// DWARF, and a binary rebuilt between two compiles with fresh HostEnvs is
// read again.
type lazyGo struct {
	path string
	once sync.Once
	src  GoSource
	err  error
}

func (l *lazyGo) open() (GoSource, error) {
	l.once.Do(func() {
		gb, err := goabi.Open(l.path)
		if err != nil {
			l.err = err
			return
		}
		l.src = hostGo{gb}
	})
	return l.src, l.err
}

// Func implements GoSource.
func (l *lazyGo) Func(name string) (*goabi.Func, error) {
	s, err := l.open()
	if err != nil {
		return nil, err
	}
	return s.Func(name)
}

// GoidOffset implements GoSource.
func (l *lazyGo) GoidOffset() (int, error) {
	s, err := l.open()
	if err != nil {
		return 0, err
	}
	return s.GoidOffset()
}

// FuncAt implements funcAter.
func (l *lazyGo) FuncAt(name string, entry, size uint64) (*goabi.Func, error) {
	s, err := l.open()
	if err != nil {
		return nil, err
	}
	return goFunc(s, name, entry, size)
}

// ABI implements GoSource.
func (l *lazyGo) ABI() (string, bool) {
	s, err := l.open()
	if err != nil {
		return "", false
	}
	return s.ABI()
}

// goSources caches the Go binaries opened for Binary values that have no
// GoSource of their own, by path and file identity (a rebuilt binary is
// opened again).
var goSources = struct {
	sync.Mutex
	m map[goKey]GoSource
}{m: map[goKey]GoSource{}}

type goKey struct {
	path       string
	size, mod  int64
	dev, inode uint64
}

func goKeyOf(path string) goKey {
	k := goKey{path: path}
	if fi, err := os.Stat(path); err == nil {
		k.size, k.mod = fi.Size(), fi.ModTime().UnixNano()
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			k.dev, k.inode = uint64(st.Dev), st.Ino
		}
	}
	return k
}

// goSource returns the binary's GoSource: Binary.Go (opened now if it is
// HostEnv's lazy one, so that errors surface here), or a goabi.Binary
// opened from Path on first use.
func (b *Binary) goSource() (GoSource, error) {
	if l, ok := b.Go.(*lazyGo); ok {
		return l.open()
	}
	if b.Go != nil {
		return b.Go, nil
	}
	if !b.IsGo {
		return nil, fmt.Errorf("%s is not a Go program", b.Path)
	}
	key := goKeyOf(b.Path)
	goSources.Lock()
	defer goSources.Unlock()
	if s, ok := goSources.m[key]; ok {
		return s, nil
	}
	gb, err := goabi.Open(b.Path)
	if err != nil {
		return nil, err
	}
	s := hostGo{gb}
	goSources.m[key] = s
	return s, nil
}

// funcAter is a GoSource that can describe a function whose address and
// size the caller already has (goabi.Binary.FuncAt: it spares reading
// .symtab a second time).
type funcAter interface {
	FuncAt(name string, entry, size uint64) (*goabi.Func, error)
}

// goFunc asks s for the function called name, handing over its address
// and size when s can use them.
func goFunc(s GoSource, name string, entry, size uint64) (*goabi.Func, error) {
	if fa, ok := s.(funcAter); ok && entry != 0 {
		return fa.FuncAt(name, entry, size)
	}
	return s.Func(name)
}

// goFuncIn is goFunc for a function of b, found in b's symbols.
func goFuncIn(s GoSource, b *Binary, name string) (*goabi.Func, error) {
	if sym, ok := b.Lookup(name); ok {
		return goFunc(s, name, sym.Addr, sym.Size)
	}
	return s.Func(name)
}

// goFuncOf is goFunc for the function a uprobe target attaches to.
func (c *checker) goFuncOf(s GoSource, t *Target) (*goabi.Func, error) {
	b, err := c.env.Binary(t.Binary)
	if err != nil {
		return s.Func(t.Symbol)
	}
	return goFuncIn(s, b, t.Symbol)
}
