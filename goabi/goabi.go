// Package goabi describes Go functions in compiled binaries: their
// parameters and results with types from DWARF, where the register ABI puts
// each of them at function entry (and return), the Go version, and
// runtime.g's goid offset.
//
// A Binary is opened once per traced executable. Resolving a function reads
// only what it needs: the function's address from `.symtab`, then the one
// DWARF compile unit that covers that address, then the types its
// parameters name (cached for the Binary's lifetime). The location of each
// parameter comes from Assign, a pure implementation of the Go internal ABI
// (cmd/compile/abi-internal.md), not from the DWARF location lists, which
// the compiler leaves empty for parameters it does not use.
package goabi

import (
	"debug/buildinfo"
	"debug/dwarf"
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
)

// ErrNoDWARF is returned when a question needs DWARF the binary does not
// have: Go binaries built with `-ldflags=-w` (or `-s -w`) carry none.
var ErrNoDWARF = errors.New("binary has no DWARF debug info (built with -ldflags=-w or -s -w?): Go function arguments and runtime.g layout are unknown")

// ErrNoRegABI is returned when a question needs the register ABI and the
// binary does not use it (Go < 1.17 on amd64, < 1.18 on arm64, or another
// architecture).
var ErrNoRegABI = errors.New("binary does not use Go's register ABI")

// ErrNotGo is returned by Open for an ELF file that is not a Go program.
var ErrNotGo = errors.New("not a Go binary (no .go.buildinfo)")

// Binary is one Go executable. It is safe for concurrent use.
type Binary struct {
	Path      string
	GoVersion string // as in buildinfo, e.g. "go1.26.8"
	Arch      string // GOARCH: "amd64", "arm64", ...
	// RegABI tells whether functions take their arguments in registers
	// (ABIInternal); otherwise they take them on the stack (ABI0).
	RegABI bool
	// CacheHit tells whether the DWARF came from the cache (see CacheEnv).
	CacheHit bool

	f    *elf.File
	file *os.File

	mu     sync.Mutex
	dw     *dwarf.Data // over info's whole units so far
	dwErr  error
	info   *lazyInfo
	syms   *symbols
	symErr error
	types  map[dwarf.Offset]*Type
	funcs  map[string]*Func
	// subprogs indexes, per compile unit (by its entry's offset), the
	// subprograms by entry address (diescan.go).
	subprogs map[dwarf.Offset]map[uint64]dwarf.Offset
	goid     int
	goidErr  error
	goidOK   bool
}

// Open reads the Go build information of the ELF executable at path. DWARF
// and symbols are read later, on demand.
func Open(path string) (*Binary, error) {
	of, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	b, err := newBinary(path, of)
	if err != nil {
		of.Close()
		return nil, err
	}
	return b, nil
}

func newBinary(path string, of *os.File) (*Binary, error) {
	f, err := elf.NewFile(of)
	if err != nil {
		return nil, err
	}
	if f.Section(".go.buildinfo") == nil {
		return nil, fmt.Errorf("%s: %w", path, ErrNotGo)
	}
	bi, err := buildinfo.Read(of)
	if err != nil {
		return nil, fmt.Errorf("%s: reading Go build info: %w", path, err)
	}
	b := &Binary{Path: path, GoVersion: bi.GoVersion, f: f, file: of,
		types: map[dwarf.Offset]*Type{}, funcs: map[string]*Func{}}
	for _, s := range bi.Settings {
		if s.Key == "GOARCH" {
			b.Arch = s.Value
		}
	}
	if b.Arch == "" {
		b.Arch = archOf(f.Machine)
	}
	b.RegABI = regABI(b.Arch, b.GoVersion)
	return b, nil
}

// Close releases the file.
func (b *Binary) Close() error {
	b.mu.Lock()
	l := b.info
	b.mu.Unlock()
	if l != nil {
		l.close()
	}
	return b.file.Close()
}

func archOf(m elf.Machine) string {
	switch m {
	case elf.EM_X86_64:
		return "amd64"
	case elf.EM_AARCH64:
		return "arm64"
	case elf.EM_386:
		return "386"
	case elf.EM_ARM:
		return "arm"
	case elf.EM_PPC64:
		return "ppc64le"
	case elf.EM_RISCV:
		return "riscv64"
	case elf.EM_S390:
		return "s390x"
	case elf.EM_LOONGARCH:
		return "loong64"
	}
	return m.String()
}

// regABI tells whether Go version v uses the register ABI on arch.
func regABI(arch, v string) bool {
	major, minor, ok := parseGoVersion(v)
	if !ok {
		return false
	}
	if major > 1 {
		return abis[arch] != nil
	}
	switch arch {
	case "amd64":
		return minor >= 17
	case "arm64":
		return minor >= 18
	}
	return false
}

// parseGoVersion parses "go1.26.8", "go1.22rc1", "devel go1.23-abcdef ...".
func parseGoVersion(v string) (major, minor int, ok bool) {
	if i := strings.Index(v, "go1."); i >= 0 {
		v = v[i+2:]
	} else {
		v = strings.TrimPrefix(v, "go")
	}
	maj, rest, found := strings.Cut(v, ".")
	if !found {
		return 0, 0, false
	}
	end := 0
	for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
		end++
	}
	a, err1 := strconv.Atoi(maj)
	b, err2 := strconv.Atoi(rest[:end])
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return a, b, true
}
