package goabi

import (
	"os"
	"testing"

	"github.com/gobpftrace/gobpftrace/internal/testenv"
)

// BenchmarkOpenFunc opens a large Go binary and resolves a method (Client.Do is inlined; do is not) with
// struct argument, fresh each iteration (no cache carried over).
func BenchmarkOpenFunc(b *testing.B) {
	path, _ := buildProg(b, "big", testenv.BigGoSource(30000))
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	if fi.Size() < 20<<20 {
		b.Fatalf("test binary is %d bytes, want >= 20 MB", fi.Size())
	}
	b.ReportMetric(float64(fi.Size())/(1<<20), "MB")
	b.Run("cold", func(b *testing.B) {
		b.Setenv(CacheEnv, "off")
		benchOpenFunc(b, path, "net/http.(*Client).do")
	})
	b.Run("cached", func(b *testing.B) {
		b.Setenv(CacheEnv, b.TempDir())
		if bin, err := Open(path); err == nil { // fill the cache
			bin.Func("net/http.(*Client).do")
			bin.Close()
		}
		benchOpenFunc(b, path, "net/http.(*Client).do")
	})
}

// BenchmarkOpenFuncSmall is the same on the small test program, to show
// how the cost grows with the binary.
func BenchmarkOpenFuncSmall(b *testing.B) {
	path, _ := sigs(b)
	benchOpenFunc(b, path, "main.money")
}

func benchOpenFunc(b *testing.B, path, fn string) {
	b.ReportAllocs()
	for b.Loop() {
		bin, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		f, err := bin.Func(fn)
		if err != nil {
			b.Fatal(err)
		}
		if len(f.Params) == 0 {
			b.Fatal("no parameters")
		}
		bin.Close()
	}
}
