package testenv

import (
	"os"
	"strconv"
	"testing"

	"github.com/cilium/ebpf"
)

func TestHeldBPFSeesAMapAndItsFD(t *testing.T) {
	RequireBPF(t)
	m, err := ebpf.NewMap(&ebpf.MapSpec{Type: ebpf.Array, KeySize: 4, ValueSize: 4, MaxEntries: 1})
	if err != nil {
		t.Fatal(err)
	}
	info, err := m.Info()
	if err != nil {
		t.Fatal(err)
	}
	id, _ := info.ID()
	objs, fds := HeldBPF(t, os.Getpid())
	want := "map:" + strconv.FormatUint(uint64(id), 10)
	if !objs[want] {
		t.Fatalf("HeldBPF objects %v lack %s", objs, want)
	}
	if len(fds) == 0 {
		t.Fatal("HeldBPF found no BPF fd")
	}
	m.Close()
	if objs, _ := HeldBPF(t, os.Getpid()); objs[want] {
		t.Fatalf("%s still held after Close", want)
	}
}
