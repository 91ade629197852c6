package goabi

import (
	"debug/dwarf"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/gobpftrace/gobpftrace/internal/inflate"
)

// Loading DWARF. Go compresses its DWARF with zlib, and a function's
// compile unit may sit anywhere in .debug_info, so reaching it means
// inflating the section up to that unit: for most functions of a large
// binary, megabytes. The first question that needs DWARF therefore starts
// inflating .debug_info in the background (internal/inflate, one pass,
// published every megabyte) while the caller looks its symbol up and reads
// the small sections; a lookup parses the published prefix and waits for
// more only when what it needs is not there yet.

// dwarfData returns the binary's DWARF with all of .debug_info.
func (b *Binary) dwarfData() (*dwarf.Data, error) {
	return b.dwarfUntil(func(*dwarf.Data) bool { return false })
}

// dwarfUntil returns DWARF holding a prefix of .debug_info large enough
// for done to report true, or all of it.
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

// prefetchDWARF starts inflating .debug_info, if that is still to do.
// Errors are left for openDWARF to report.
func (b *Binary) prefetchDWARF() {
	if b.info == nil && b.dwErr == nil && b.dw == nil {
		b.info, _ = b.startInfo()
	}
}

// startInfo begins reading .debug_info: from the cache, in the background
// when it is compressed with zlib, or synchronously through debug/elf.
func (b *Binary) startInfo() (*lazyInfo, error) {
	info := b.f.Section(".debug_info")
	if info == nil {
		return nil, ErrNoDWARF
	}
	l := &lazyInfo{extra: map[string][]byte{}}
	l.cond.L = &l.mu
	cp := b.cachePath(info)
	if data := readCache(cp, info.Size); data != nil {
		l.buf, l.eof = data, true
		b.CacheHit = true
		return l, nil
	}
	dec, err := zlibSection(b.file, b.f, info)
	if err != nil {
		return nil, err
	}
	if dec == nil {
		// Section.Size is the uncompressed size: one allocation holds all
		// that may be read (up to 64 MB; more grows by copying).
		l.r, l.buf = info.Open(), make([]byte, 0, min(info.Size, 64<<20))
		return l, nil
	}
	l.bg, l.cache = true, cp
	l.wg.Add(1)
	go l.run(dec, int(info.Size))
	return l, nil
}

// openDWARF reads the small DWARF sections and the first part of
// .debug_info.
func (b *Binary) openDWARF() error {
	f := b.f
	if f.Section(".debug_info") == nil && f.Section(".zdebug_info") != nil {
		d, err := f.DWARF() // old Go: compressed the old way
		b.dw = d
		return err
	}
	if b.info == nil {
		l, err := b.startInfo()
		if err != nil {
			return err
		}
		b.info = l
	}
	l := b.info
	var err error
	sec := func(name string) []byte {
		var d []byte
		if err == nil {
			d, err = sectionData(b.file, f, name)
		}
		return d
	}
	l.abbrev, l.ranges, l.str = sec(".debug_abbrev"), sec(".debug_ranges"), sec(".debug_str")
	for _, name := range extraSections {
		l.extra[name] = sec(name)
	}
	if err != nil {
		return err
	}
	if len(l.buf) == 0 && !l.eof {
		if err := l.grow(); err != nil {
			return fmt.Errorf("reading .debug_info: %w", err)
		}
	}
	b.dw, err = l.data()
	return err
}

// extraSections are the DWARF 5 sections added to dwarf.Data by name.
var extraSections = []string{".debug_addr", ".debug_rnglists", ".debug_str_offsets", ".debug_line_str"}

// publishStep is how much the background inflation adds between two
// publications (a variable so that tests can make lookups cross many).
var publishStep = 1 << 20

// errClosed stops a background inflation when the Binary is closed.
var errClosed = errors.New("binary closed")

// lazyInfo is .debug_info read so far.
type lazyInfo struct {
	// Background inflation (bg): run publishes pub, pubEOF and pubErr
	// under mu, and signals cond.
	bg     bool
	mu     sync.Mutex
	cond   sync.Cond
	pub    []byte
	pubEOF bool
	pubErr error
	stop   atomic.Bool
	wg     sync.WaitGroup
	cache  string // where to keep the whole section once inflated ("": nowhere)

	r io.Reader // not zlib-compressed: read synchronously into buf

	buf                 []byte // what the reader has taken
	eof                 bool
	abbrev, ranges, str []byte
	extra               map[string][]byte
}

// run inflates the whole section in the background, publishing every
// megabyte, and stores it in the cache at the end. The last megabyte is
// published before the stream's checksum is verified (size is what the
// section header announces), so a lookup near the end does not wait for
// it; the end of the section is published only once it is verified.
func (l *lazyInfo) run(dec *inflate.Decoder, size int) {
	defer l.wg.Done()
	step := publishStep
	for {
		err := errClosed
		if !l.stop.Load() {
			target := len(dec.Bytes()) + step
			if len(dec.Bytes()) < size {
				target = min(target, size)
			}
			err = dec.Until(target)
		}
		l.mu.Lock()
		l.pub, l.pubEOF, l.pubErr = dec.Bytes(), dec.Done(), err
		l.cond.Broadcast()
		l.mu.Unlock()
		if err != nil || dec.Done() {
			break
		}
	}
	if dec.Done() {
		writeCache(l.cache, dec.Bytes())
	}
}

// grow takes about as much again as was taken so far (publishStep, 1 MB,
// first).
func (l *lazyInfo) grow() error {
	n := max(len(l.buf), publishStep)
	if l.bg {
		return l.wait(len(l.buf) + n)
	}
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

// step takes the next part of the section: what the background
// inflation publishes next (a megabyte), or as grow does.
func (l *lazyInfo) step() error {
	if l.bg {
		return l.wait(len(l.buf) + publishStep)
	}
	return l.grow()
}

// wait blocks until n bytes are published, the section ends or reading
// it failed, and takes up to n bytes of it.
func (l *lazyInfo) wait(n int) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	for len(l.pub) < n && !l.pubEOF && l.pubErr == nil {
		l.cond.Wait()
	}
	// Take n bytes, not all that is published: what a lookup reads then
	// does not depend on how far the inflation happened to be.
	take := min(n, len(l.pub))
	l.buf, l.eof = l.pub[:take], l.pubEOF && take == len(l.pub)
	return l.pubErr
}

// all reads the rest of the section.
func (l *lazyInfo) all() error {
	for !l.eof {
		if err := l.grow(); err != nil {
			return err
		}
	}
	return nil
}

// close stops a background inflation, unless it is to fill the cache, and
// waits for it.
func (l *lazyInfo) close() {
	if l.cache == "" {
		l.stop.Store(true)
	}
	l.wg.Wait()
}

// data parses the whole compile units read so far.
func (l *lazyInfo) data() (*dwarf.Data, error) {
	info := l.buf
	if !l.eof {
		info = info[:wholeUnits(info)]
	}
	d, err := dwarf.New(l.abbrev, nil, nil, info, nil, nil, l.ranges, l.str)
	if err != nil {
		return nil, err
	}
	for _, name := range extraSections {
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
