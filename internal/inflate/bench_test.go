package inflate

import (
	"bytes"
	"compress/zlib"
	"debug/elf"
	"encoding/binary"
	"io"
	"os"
	"testing"

	"github.com/gobpftrace/gobpftrace/internal/testenv"
)

// prog links a good part of the standard library: its DWARF is a few MB.
const prog = `package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
)

func main() {
	if len(os.Args) > 5 {
		fmt.Println(json.Marshal, http.Get)
	}
}
`

// debugInfo returns the zlib stream of a Go program's compressed
// .debug_info and its inflated size: real Go DWARF, as the goabi package
// reads it.
func debugInfo(b testing.TB) ([]byte, int) {
	exe := testenv.BuildGo(b, prog)
	f, err := elf.Open(exe)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	s := f.Section(".debug_info")
	if s == nil || s.Flags&elf.SHF_COMPRESSED == 0 {
		b.Skip("the test binary has no compressed .debug_info")
	}
	raw := make([]byte, s.FileSize)
	osf, err := os.Open(exe)
	if err != nil {
		b.Fatal(err)
	}
	defer osf.Close()
	if _, err := osf.ReadAt(raw, int64(s.Offset)); err != nil {
		b.Fatal(err)
	}
	if elf.CompressionType(binary.LittleEndian.Uint32(raw)) != elf.COMPRESS_ZLIB {
		b.Skip("not zlib")
	}
	return raw[24:], int(s.Size)
}

func BenchmarkDebugInfo(b *testing.B) {
	z, size := debugInfo(b)
	b.Run("inflate", func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			out, err := Zlib(z, size, 0)
			if err != nil || len(out) != size {
				b.Fatal(err, len(out))
			}
		}
	})
	b.Run("compress-zlib", func(b *testing.B) {
		b.SetBytes(int64(size))
		out := make([]byte, size)
		for b.Loop() {
			r, err := zlib.NewReader(bytes.NewReader(z))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.ReadFull(r, out); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestDebugInfo inflates real Go DWARF and compares with debug/elf.
func TestDebugInfo(t *testing.T) {
	z, size := debugInfo(t)
	got, err := Zlib(z, size, 0)
	if err != nil {
		t.Fatal(err)
	}
	want, err := io.ReadAll(mustZlib(t, z))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("inflated .debug_info differs: %d bytes, want %d", len(got), len(want))
	}
}

func mustZlib(t testing.TB, z []byte) io.Reader {
	r, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatal(err)
	}
	return r
}
