package goabi

import (
	"debug/elf"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gobpftrace/gobpftrace/internal/inflate"
)

// copyWith copies the binary at path and lets edit change the bytes of its
// .debug_info section as stored (compressed).
func copyWith(t *testing.T, path string, edit func(raw []byte)) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s := f.Section(".debug_info")
	f.Close()
	if s == nil || s.Flags&elf.SHF_COMPRESSED == 0 {
		t.Fatal("the test binary's .debug_info is not compressed")
	}
	edit(data[s.Offset : s.Offset+s.FileSize])
	out := filepath.Join(t.TempDir(), "prog")
	if err := os.WriteFile(out, data, 0o755); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCorruptDebugInfo: a damaged compressed .debug_info is an error from
// Func (never a hang or a panic), for damage near the start and the end.
func TestCorruptDebugInfo(t *testing.T) {
	path, _ := sigs(t)
	t.Setenv(CacheEnv, "off")
	for _, where := range []string{"start", "end", "truncated", "huge size", "small size"} {
		bad := copyWith(t, path, func(raw []byte) {
			switch where {
			case "start":
				for i := 40; i < 200; i++ { // past the Chdr and zlib header
					raw[i] ^= 0x5a
				}
			case "end":
				raw[len(raw)-3] ^= 0xff // inside the adler32 trailer
			case "truncated":
				for i := len(raw) / 2; i < len(raw); i++ {
					raw[i] = 0
				}
			case "huge size": // Elf64_Chdr.ch_size: must not be allocated
				binary.LittleEndian.PutUint64(raw[8:], 1<<40)
			case "small size": // the stream inflates past what it announced
				binary.LittleEndian.PutUint64(raw[8:], binary.LittleEndian.Uint64(raw[8:])/2)
			}
		})
		b, err := Open(bad)
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			_, err := b.dwarfData()
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil {
				t.Errorf("%s: corrupt .debug_info read without error", where)
			} else if where == "end" && !errors.Is(err, inflate.ErrChecksum) {
				t.Errorf("%s: %v, want a checksum error", where, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: reading corrupt DWARF hangs", where)
		}
		b.Close()
	}
}

// TestCloseStopsInflation: closing a Binary whose .debug_info is still
// being inflated stops the background goroutine.
func TestCloseStopsInflation(t *testing.T) {
	path, _ := sigs(t)
	t.Setenv(CacheEnv, "off")
	before := runtime.NumGoroutine()
	for range 20 {
		b, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		b.mu.Lock()
		b.prefetchDWARF()
		started := b.info != nil && b.info.bg
		b.mu.Unlock()
		if !started {
			t.Fatal("no background inflation started")
		}
		b.Close()
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Fatalf("%d goroutines after Close, %d before", n, before)
	}
}

// TestSmallSteps publishes .debug_info 32 KB at a time, so that lookups
// find their unit, and then the types unit, across many steps and retries
// on a prefix that does not hold their types yet: every function is
// described exactly as from the whole section.
func TestSmallSteps(t *testing.T) {
	path, _ := sigs(t)
	t.Setenv(CacheEnv, "off")
	whole, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer whole.Close()
	if _, err := whole.dwarfData(); err != nil {
		t.Fatal(err)
	}
	old := publishStep
	publishStep = 32 << 10
	defer func() { publishStep = old }()
	retries := typeRetries.Load()
	// main's functions (their unit comes before the types unit) and a
	// few others whose types are in units of their own.
	for _, fn := range []string{"main.money", "main.big", "main.(*Money).Add", "main.str", "main.ptr",
		"main.iface", "internal/abi.TypeOf", "os.(*file).close", "io/fs.(*PathError).Error", "runtime.mallocgc"} {
		want, err := whole.Func(fn)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		got, err := b.Func(fn)
		if err != nil {
			t.Fatalf("%s in small steps: %v", fn, err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s differs in small steps (-whole +steps):\n%s", fn, d)
		}
		b.Close()
	}
	if typeRetries.Load() == retries {
		t.Error("no lookup needed a type beyond its prefix: the retry path went untested")
	}
}
