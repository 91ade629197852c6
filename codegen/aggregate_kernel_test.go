package codegen

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/cilium/ebpf"

	"github.com/gobpftrace/gobpftrace/internal/testenv"
	"github.com/gobpftrace/gobpftrace/output"
)

// histKey is a keyless hist map's key: the u64 zero key, then the bucket.
func histKey(bucket uint64) []byte {
	k := make([]byte, 16)
	binary.LittleEndian.PutUint64(k[8:], bucket)
	return k
}

// perCPU returns the per-CPU u64 values at key of a map (nil if missing).
func perCPU(t *testing.T, m *ebpf.Map, key []byte) []uint64 {
	t.Helper()
	var vals []uint64
	if err := m.Lookup(key, &vals); err != nil {
		if errors.Is(err, ebpf.ErrKeyNotExist) {
			return nil
		}
		t.Fatal(err)
	}
	return vals
}

func total(vals []uint64) uint64 {
	var n uint64
	for _, v := range vals {
		n += v
	}
	return n
}

// hist() counts each value in the bucket output.HistIndex gives it, under
// the key followed by the bucket index; lhist, min, max and avg keep
// bpftrace 0.17's encodings.
func TestKernelHistBuckets(t *testing.T) {
	testenv.RequireBPF(t)
	values := []int64{-5, 0, 1, 2, 3, 4, 1023, 1024, 1 << 20, 5000000000, 3}
	src := "BEGIN {"
	for _, v := range values {
		src += " @h = hist(" + itoa(v) + ");"
	}
	src += " @l = lhist(-1, 0, 100, 10); @l = lhist(55, 0, 100, 10); @l = lhist(100, 0, 100, 10);"
	src += " @mn = min(4); @mn = min(-2); @mx = max(-1); @mx = max(9); @a = avg(3); @a = avg(-7); }"
	p := compileSrc(t, src)
	coll := load(t, p)
	runBegin(t, p, coll)

	want := map[uint64]uint64{}
	for _, v := range values {
		want[uint64(output.HistIndex(v))]++
	}
	h := coll.Maps["AT_h"]
	if h.KeySize() != 16 {
		t.Fatalf("hist key size %d, want 16", h.KeySize())
	}
	for b := uint64(0); b < output.HistBuckets; b++ {
		if got := total(perCPU(t, h, histKey(b))); got != want[b] {
			t.Errorf("hist bucket %d = %d, want %d", b, got, want[b])
		}
	}
	for b, w := range map[uint64]uint64{0: 1, 6: 1, 11: 1, 1: 0, 10: 0} {
		if got := total(perCPU(t, coll.Maps["AT_l"], histKey(b))); got != w {
			t.Errorf("lhist bucket %d = %d, want %d", b, got, w)
		}
	}
	zero := make([]byte, 8)
	var mn int64
	for _, v := range perCPU(t, coll.Maps["AT_mn"], zero) {
		mn = max(mn, int64(v))
	}
	if 0xffffffff-mn != -2 {
		t.Errorf("min = %d, want -2", 0xffffffff-mn)
	}
	if got := total(perCPU(t, coll.Maps["AT_mx"], zero)); got != 9 {
		t.Errorf("max = %d, want 9", got)
	}
	var pairs [][16]byte
	if err := coll.Maps["AT_a"].Lookup(zero, &pairs); err != nil {
		t.Fatal(err)
	}
	var n, sum int64
	for _, pr := range pairs {
		n += int64(binary.LittleEndian.Uint64(pr[:8]))
		sum += int64(binary.LittleEndian.Uint64(pr[8:]))
	}
	if n != 2 || sum != -4 {
		t.Errorf("avg pair = {%d, %d}, want {2, -4}", n, sum)
	}
}

func itoa(v int64) string {
	if v < 0 {
		return "-" + itoa(-v)
	}
	if v < 10 {
		return string(rune('0' + v))
	}
	return itoa(v/10) + string(rune('0'+v%10))
}
