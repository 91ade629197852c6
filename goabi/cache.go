package goabi

import (
	"crypto/sha256"
	"debug/elf"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// CacheEnv names the environment variable that controls the cache of
// inflated DWARF: a directory to use, or "off". By default the cache lives
// in the user's cache directory (os.UserCacheDir()/gobpftrace/dwarf).
//
// Go compresses DWARF with zlib, and reaching a function's compile unit
// means inflating .debug_info up to it: for most functions of a large
// binary that is nearly all of it (about 20-25 ms for 6 MB here, in the
// background; see dwarfload.go). The cache keeps the inflated section per
// build, so later compiles against the same build skip that. The
// directory is kept under 1 GB, least recently used files going first.
const CacheEnv = "GOBPFTRACE_DWARF_CACHE"

// cacheDir returns the cache directory, or "" when caching is off.
func cacheDir() string {
	switch d := os.Getenv(CacheEnv); d {
	case "off":
		return ""
	case "":
		base, err := os.UserCacheDir()
		if err != nil {
			return ""
		}
		return filepath.Join(base, "gobpftrace", "dwarf")
	default:
		return d
	}
}

// cachePath returns where the inflated .debug_info of this build is
// cached: a name derived from the Go build ID and the section's place and
// sizes, so a rebuilt binary never reads another build's DWARF. It is ""
// when there is no cache or no build ID.
func (b *Binary) cachePath(info *elf.Section) string {
	dir := cacheDir()
	note := b.f.Section(".note.go.buildid")
	if dir == "" || note == nil {
		return ""
	}
	id, err := note.Data()
	if err != nil || len(id) == 0 {
		return ""
	}
	h := sha256.New()
	h.Write(id)
	fmt.Fprintf(h, "|%d|%d|%d", info.Offset, info.FileSize, info.Size)
	return filepath.Join(dir, hex.EncodeToString(h.Sum(nil))[:32]+".debug_info")
}

// A cache file is the inflated section followed by a trailer: the
// section's CRC-32 (IEEE: computed with carry-less multiplication, a
// quarter of a millisecond for 6 MB here) and a magic word. A file that fails the
// check is ignored and rewritten.
const cacheMagic = 0x67627466 // "gbtf"

// cacheMaxBytes bounds the cache directory: after a write, the files used
// least recently are removed until the rest fit (a variable for tests).
var cacheMaxBytes int64 = 1 << 30

// readCache returns the cached inflated section, or nil. A hit refreshes
// the file's time, which eviction goes by.
func readCache(path string, size uint64) []byte {
	if path == "" {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil || uint64(len(data)) != size+8 {
		return nil
	}
	body, trailer := data[:size], data[size:]
	if binary.LittleEndian.Uint32(trailer[4:]) != cacheMagic ||
		binary.LittleEndian.Uint32(trailer) != crc32.ChecksumIEEE(body) {
		return nil
	}
	now := time.Now()
	os.Chtimes(path, now, now)
	return body
}

// writeCache stores an inflated section; failures only cost the cache.
func writeCache(path string, data []byte) {
	if path == "" {
		return
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return
	}
	var trailer [8]byte
	binary.LittleEndian.PutUint32(trailer[:], crc32.ChecksumIEEE(data))
	binary.LittleEndian.PutUint32(trailer[4:], cacheMagic)
	_, werr := tmp.Write(data)
	if werr == nil {
		_, werr = tmp.Write(trailer[:])
	}
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), path) != nil {
		os.Remove(tmp.Name())
		return
	}
	evict(filepath.Dir(path), path)
}

// evict removes the least recently used cache files of dir, never keep,
// until the rest take at most cacheMaxBytes.
func evict(dir, keep string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	type file struct {
		path string
		size int64
		used time.Time
	}
	var files []file
	var total int64
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".debug_info") {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue
		}
		files = append(files, file{filepath.Join(dir, e.Name()), fi.Size(), fi.ModTime()})
		total += fi.Size()
	}
	sort.Slice(files, func(i, j int) bool { return files[i].used.Before(files[j].used) })
	for _, f := range files {
		if total <= cacheMaxBytes {
			break
		}
		if f.path != keep && os.Remove(f.path) == nil {
			total -= f.size
		}
	}
}
