package goabi

import (
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
)

// CacheEnv names the environment variable that controls the cache of
// inflated DWARF: a directory to use, or "off". By default the cache lives
// in the user's cache directory (os.UserCacheDir()/gobpftrace/dwarf).
//
// Go compresses DWARF with zlib, and reaching a function's compile unit
// means inflating .debug_info up to it: for most functions of a large
// binary that is nearly all of it (about 20-25 ms for 6 MB here, in the
// background; see dwarfload.go). The cache keeps the inflated section per
// build, so later compiles against the same build skip that.
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

// readCache returns the cached inflated section, or nil.
func readCache(path string, size uint64) []byte {
	if path == "" {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil || uint64(len(data)) != size {
		return nil
	}
	return data
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
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), path) != nil {
		os.Remove(tmp.Name())
	}
}
