package goabi

import (
	"os"
	"path/filepath"
	"testing"

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

	t.Setenv(CacheEnv, "off")
	if d := cacheDir(); d != "" {
		t.Fatalf("cache dir %q while off", d)
	}
	if _, hit := describe(); hit {
		t.Fatal("cache used while off")
	}
}
