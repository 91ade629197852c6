package inflate

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
)

// samples returns inputs that exercise literals, short and long matches,
// overlapping copies, long runs and incompressible data.
func samples() map[string][]byte {
	r := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 200_000)
	for i := range random {
		random[i] = byte(r.Uint32())
	}
	text := bytes.Repeat([]byte("the quick brown fox jumps over the lazy dog; "), 5000)
	for i := 0; i < len(text); i += 97 { // break the repetition a little
		text[i] = byte('a' + r.IntN(26))
	}
	skewed := make([]byte, 300_000) // long codes: a very skewed alphabet
	for i := range skewed {
		v := r.ExpFloat64() * 3
		skewed[i] = byte(min(v, 255))
	}
	return map[string][]byte{
		"empty":  {},
		"one":    {'x'},
		"run":    bytes.Repeat([]byte{0}, 100_000),
		"run2":   bytes.Repeat([]byte("ab"), 70_000),
		"run7":   bytes.Repeat([]byte("abcdefg"), 30_000),
		"random": random,
		"text":   text,
		"skewed": skewed,
	}
}

func deflate(t testing.TB, data []byte, level int, wrap bool) []byte {
	var buf bytes.Buffer
	var w io.WriteCloser
	var err error
	if wrap {
		w, err = zlib.NewWriterLevel(&buf, level)
	} else {
		w, err = flate.NewWriter(&buf, level)
	}
	if err != nil {
		t.Fatal(err)
	}
	// Several writes with a flush between two of them: stored empty
	// blocks and block boundaries in the middle of the data.
	half := len(data) / 2
	w.Write(data[:half])
	if f, ok := w.(interface{ Flush() error }); ok {
		f.Flush()
	}
	w.Write(data[half:])
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var levels = []int{flate.NoCompression, flate.BestSpeed, 5, flate.BestCompression, flate.HuffmanOnly}

func TestRoundTrip(t *testing.T) {
	for name, data := range samples() {
		for _, level := range levels {
			for _, wrap := range []bool{false, true} {
				z := deflate(t, data, level, wrap)
				for _, size := range []int{len(data), 0, len(data) / 3} {
					var got []byte
					var err error
					if wrap {
						got, err = Zlib(z, size, 0)
					} else {
						got, err = NewRaw(z, size, 0).All()
					}
					if err != nil {
						t.Fatalf("%s level %d zlib=%v size %d: %v", name, level, wrap, size, err)
					}
					if !bytes.Equal(got, data) {
						t.Fatalf("%s level %d zlib=%v size %d: output differs (%d bytes, want %d)", name, level, wrap, size, len(got), len(data))
					}
				}
			}
		}
	}
}

// TestUntil inflates in steps: every prefix it returns is a prefix of
// the data, each step reaches its target, and the end is the whole data.
func TestUntil(t *testing.T) {
	data := samples()["text"]
	z := deflate(t, data, flate.BestSpeed, true)
	d, err := NewZlib(z, len(data), 0)
	if err != nil {
		t.Fatal(err)
	}
	for want := 1; !d.Done(); want += 20_000 {
		if err := d.Until(want); err != nil {
			t.Fatal(err)
		}
		got := d.Bytes()
		if len(got) < min(want, len(data)) || !bytes.Equal(got, data[:len(got)]) {
			t.Fatalf("Until(%d): %d bytes, not a prefix of at least that size", want, len(got))
		}
		if len(got) == len(data) && !d.Done() {
			if err := d.Until(-1); err != nil {
				t.Fatal(err)
			}
		}
	}
	if !bytes.Equal(d.Bytes(), data) {
		t.Fatal("final output differs")
	}
}

func TestErrors(t *testing.T) {
	data := samples()["text"]
	good := deflate(t, data, flate.BestSpeed, true)
	bad := bytes.Clone(good)
	bad[len(bad)-1] ^= 1 // checksum
	cases := []struct {
		name string
		in   []byte
		want error
	}{
		{"checksum", bad, ErrChecksum},
		{"header", []byte{0x78, 0x00}, errBadZlibHdr},
		{"dictionary", []byte{0x78, 0xbb}, errBadZlibHdr},
		{"short", []byte{0x78}, ErrTruncated},
		{"reserved block", []byte{0x78, 0x9c, 0x07}, ErrCorrupt},
		{"stored length", []byte{0x78, 0x9c, 0x01, 0x05, 0x00, 0x00, 0x00}, ErrCorrupt},
		{"truncated", good[:len(good)/2], ErrTruncated},
		{"no trailer", good[:len(good)-4], ErrTruncated},
	}
	for _, c := range cases {
		_, err := Zlib(c.in, 0, 0)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
	if _, err := Zlib(good, 0, len(data)-1); !errors.Is(err, ErrTooLong) {
		t.Errorf("limit: got %v, want ErrTooLong", err)
	}
	if got, err := Zlib(good, 0, len(data)); err != nil || !bytes.Equal(got, data) {
		t.Errorf("limit equal to the size: %v", err)
	}
}

// TestTruncations cuts a stream at every length: each cut is an error,
// never a panic or a wrong success.
func TestTruncations(t *testing.T) {
	z := deflate(t, samples()["run7"][:5000], 5, true)
	for n := range len(z) {
		if _, err := Zlib(z[:n], 0, 0); err == nil {
			t.Fatalf("cut at %d of %d: no error", n, len(z))
		}
	}
}

// same inflates in with both decoders and fails if they disagree.
func same(t *testing.T, in []byte) {
	const limit = 1 << 20
	want, werr := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(in)), limit+1))
	if len(want) > limit {
		return // too big to compare; ours stops with ErrTooLong
	}
	got, gerr := NewRaw(in, 0, limit).All()
	if (werr == nil) != (gerr == nil) {
		t.Fatalf("compress/flate: %v, inflate: %v", werr, gerr)
	}
	if werr == nil && !bytes.Equal(got, want) {
		t.Fatalf("outputs differ: %d bytes vs %d", len(got), len(want))
	}
}

// FuzzInflate compares the decoder with compress/flate on any input.
func FuzzInflate(f *testing.F) {
	for _, data := range samples() {
		for _, level := range levels {
			z := deflate(f, data[:min(len(data), 3000)], level, false)
			f.Add(z)
		}
	}
	f.Add([]byte{0x05, 0xc0, 0x21, 0x0d, 0x00, 0x00, 0x00, 0x80, 0xb0, 0xfe, 0x6d, 0x2f, 0x91, 0x6c})
	f.Fuzz(same)
}

// TestCorruptions flips bytes in valid streams; both decoders agree.
func TestCorruptions(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for name, data := range samples() {
		for _, level := range levels {
			z := deflate(t, data[:min(len(data), 4000)], level, false)
			for range 200 {
				c := bytes.Clone(z)
				c[r.IntN(len(c))] ^= byte(1 << r.IntN(8))
				t.Run(name, func(t *testing.T) { same(t, c) })
			}
		}
	}
}
