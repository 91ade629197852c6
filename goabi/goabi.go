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
	"io"
	"os"
	"slices"
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

	mu      sync.Mutex
	dw      *dwarf.Data // over info's whole units so far
	dwErr   error
	info    *lazyInfo
	syms    *symbols
	symErr  error
	types   map[dwarf.Offset]*Type
	funcs   map[string]*Func
	goid    int
	goidErr error
	goidOK  bool
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
func (b *Binary) Close() error { return b.file.Close() }

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

// dwarfData returns the binary's DWARF with all of .debug_info.
func (b *Binary) dwarfData() (*dwarf.Data, error) {
	return b.dwarfUntil(func(*dwarf.Data) bool { return false })
}

// dwarfUntil returns DWARF holding a prefix of .debug_info large enough
// for done to report true, or all of it. Go compresses its DWARF, and
// inflating all of .debug_info is most of the cost of reading a large
// binary: this inflates it in growing steps and stops early.
func (b *Binary) dwarfUntil(done func(*dwarf.Data) bool) (*dwarf.Data, error) {
	if b.dwErr != nil {
		return nil, b.dwErr
	}
	if b.dw == nil {
		if b.dwErr = b.openDWARF(); b.dwErr != nil {
			b.dwErr = fmt.Errorf("%s: %w", b.Path, b.dwErr)
			return nil, b.dwErr
		}
	}
	for !done(b.dw) && b.info != nil && !b.info.eof {
		if err := b.info.grow(); err != nil {
			return nil, fmt.Errorf("%s: reading .debug_info: %w", b.Path, err)
		}
		d, err := b.info.data()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", b.Path, err)
		}
		b.dw = d
	}
	return b.dw, nil
}

// openDWARF reads the small DWARF sections and the first part of
// .debug_info.
func (b *Binary) openDWARF() error {
	f := b.f
	info := f.Section(".debug_info")
	if info == nil {
		if f.Section(".zdebug_info") != nil { // old Go: compressed the old way
			d, err := f.DWARF()
			b.dw = d
			return err
		}
		return ErrNoDWARF
	}
	sec := func(name string) ([]byte, error) {
		s := f.Section(name)
		if s == nil || s.Type == elf.SHT_NOBITS {
			return nil, nil
		}
		d, err := s.Data()
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", name, err)
		}
		return d, nil
	}
	// Section.Size is the uncompressed size: one allocation holds all
	// that may be inflated, so growing never copies.
	l := &lazyInfo{r: info.Open(), extra: map[string][]byte{}, buf: make([]byte, 0, info.Size)}
	var err error
	if l.abbrev, err = sec(".debug_abbrev"); err != nil {
		return err
	}
	if l.ranges, err = sec(".debug_ranges"); err != nil {
		return err
	}
	if l.str, err = sec(".debug_str"); err != nil {
		return err
	}
	for _, name := range []string{".debug_addr", ".debug_rnglists", ".debug_str_offsets", ".debug_line_str"} {
		if l.extra[name], err = sec(name); err != nil {
			return err
		}
	}
	b.info = l
	// With a cache, .debug_info is inflated whole once per build and read
	// back afterwards; without one, only as far as lookups need.
	if cp := b.cachePath(info); cp != "" {
		if data := readCache(cp, info.Size); data != nil {
			l.buf, l.eof = data, true
			b.CacheHit = true
		} else {
			for !l.eof && len(l.buf) < cap(l.buf) {
				if err := l.grow(); err != nil {
					return fmt.Errorf("reading .debug_info: %w", err)
				}
			}
			l.eof = true
			writeCache(cp, l.buf)
		}
		b.dw, err = l.data()
		return err
	}
	if err := l.grow(); err != nil {
		return fmt.Errorf("reading .debug_info: %w", err)
	}
	b.dw, err = l.data()
	return err
}

// lazyInfo is .debug_info inflated so far.
type lazyInfo struct {
	r                   io.Reader
	buf                 []byte
	eof                 bool
	abbrev, ranges, str []byte
	extra               map[string][]byte
}

// grow inflates about as much again as was inflated so far (1 MB first),
// never past the section's uncompressed size (the buffer's capacity).
func (l *lazyInfo) grow() error {
	n := max(len(l.buf), 1<<20)
	if c := cap(l.buf); c > len(l.buf) {
		n = min(n, c-len(l.buf))
	}
	old := len(l.buf)
	l.buf = slices.Grow(l.buf, n)[:old+n]
	m, err := io.ReadFull(l.r, l.buf[old:])
	l.buf = l.buf[:old+m]
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		l.eof, err = true, nil
	}
	return err
}

// data parses the whole compile units inflated so far.
func (l *lazyInfo) data() (*dwarf.Data, error) {
	info := l.buf
	if !l.eof {
		info = info[:wholeUnits(info)]
	}
	d, err := dwarf.New(l.abbrev, nil, nil, info, nil, nil, l.ranges, l.str)
	if err != nil {
		return nil, err
	}
	for _, name := range []string{".debug_addr", ".debug_rnglists", ".debug_str_offsets", ".debug_line_str"} {
		if c := l.extra[name]; c != nil {
			if err := d.AddSection(name, c); err != nil {
				return nil, err
			}
		}
	}
	return d, nil
}

// wholeUnits returns the length of the prefix of info made of complete
// units (32-bit DWARF unit lengths; 64-bit DWARF stops the prefix).
func wholeUnits(info []byte) int {
	off := 0
	for off+4 <= len(info) {
		n := int(uint32(info[off]) | uint32(info[off+1])<<8 | uint32(info[off+2])<<16 | uint32(info[off+3])<<24)
		if n >= 0xfffffff0 || off+4+n > len(info) {
			break
		}
		off += 4 + n
	}
	return off
}
