package goabi

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestDWARFCache: the first Open of a build inflates .debug_info and caches
// it; the next reads the cache and describes functions identically; with
// the cache off nothing is written.
func TestDWARFCache(t *testing.T) {
	path, _ := sigs(t)
	dir := t.TempDir()
	t.Setenv(CacheEnv, dir)
	describe := func() (*Func, bool) {
		b, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		f, err := b.Func("main.money")
		if err != nil {
			t.Fatal(err)
		}
		return f, b.CacheHit
	}
	first, hit := describe()
	if hit {
		t.Fatal("first Open hit an empty cache")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.debug_info"))
	if len(files) != 1 {
		t.Fatalf("cache files %v, want one", files)
	}
	second, hit := describe()
	if !hit {
		t.Fatal("second Open did not use the cache")
	}
	if d := cmp.Diff(first.Params, second.Params); d != "" {
		t.Fatalf("parameters differ with the cache (-first +second):\n%s", d)
	}
	// A cache file of the wrong size (truncated, another build) is ignored.
	if err := os.WriteFile(files[0], []byte("junk"), 0o644); err != nil {
		t.Fatal(err)
	}
	if third, hit := describe(); hit || cmp.Diff(first.Params, third.Params) != "" {
		t.Fatalf("a corrupt cache file was used (hit %v)", hit)
	}
	// So is one of the right size with a flipped byte (its checksum
	// fails); it is written again.
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0x40
	if err := os.WriteFile(files[0], data, 0o644); err != nil {
		t.Fatal(err)
	}
	if fourth, hit := describe(); hit || cmp.Diff(first.Params, fourth.Params) != "" {
		t.Fatalf("a damaged cache file was used (hit %v)", hit)
	}
	if _, hit := describe(); !hit {
		t.Fatal("the damaged cache file was not rewritten")
	}

	t.Setenv(CacheEnv, "off")
	if d := cacheDir(); d != "" {
		t.Fatalf("cache dir %q while off", d)
	}
	if _, hit := describe(); hit {
		t.Fatal("cache used while off")
	}
}

// TestCacheEviction: past cacheMaxBytes, the least recently used files
// go first, never the one just written.
func TestCacheEviction(t *testing.T) {
	dir := t.TempDir()
	old := cacheMaxBytes
	defer func() { cacheMaxBytes = old }()
	data := make([]byte, 992) // 1000 bytes with the trailer
	base := time.Now().Add(-time.Hour)
	for i := range 5 {
		p := filepath.Join(dir, fmt.Sprintf("%d.debug_info", i))
		writeCache(p, data)
		// File i was last used i minutes after base; 1 is read again now.
		os.Chtimes(p, base.Add(time.Duration(i)*time.Minute), base.Add(time.Duration(i)*time.Minute))
	}
	if readCache(filepath.Join(dir, "1.debug_info"), uint64(len(data))) == nil {
		t.Fatal("cache file 1 does not read back")
	}
	cacheMaxBytes = 3000
	writeCache(filepath.Join(dir, "5.debug_info"), data)
	var left []string
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		left = append(left, e.Name())
	}
	want := []string{"1.debug_info", "4.debug_info", "5.debug_info"}
	if d := cmp.Diff(want, left); d != "" {
		t.Errorf("files left (-want +got):\n%s", d)
	}
}
