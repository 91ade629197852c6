package types

import (
	"errors"
	"fmt"
	"sync"

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
func (h hostGo) GoidOffset() (int, error)              { return h.b.GoidOffset() }
func (h hostGo) ABI() (string, bool)                   { return h.b.Arch, h.b.RegABI }

// goSources caches the Go binaries opened for Binary values that have no
// GoSource of their own, by path.
var goSources = struct {
	sync.Mutex
	m map[string]GoSource
}{m: map[string]GoSource{}}

// goSource returns the binary's GoSource: Binary.Go, or a goabi.Binary
// opened from Path on first use.
func (b *Binary) goSource() (GoSource, error) {
	if b.Go != nil {
		return b.Go, nil
	}
	if !b.IsGo {
		return nil, fmt.Errorf("%s is not a Go program", b.Path)
	}
	goSources.Lock()
	defer goSources.Unlock()
	if s, ok := goSources.m[b.Path]; ok {
		return s, nil
	}
	gb, err := goabi.Open(b.Path)
	if err != nil {
		return nil, err
	}
	s := hostGo{gb}
	goSources.m[b.Path] = s
	return s, nil
}
