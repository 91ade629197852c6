package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// HeldBPF returns the BPF objects that process pid's open fds hold, as
// "prog:ID", "map:ID", "link:ID" and "btf:ID", and its BPF and perf event
// fds as "fd:N:anon_inode:...".
func HeldBPF(t testing.TB, pid int) (objs, fds map[string]bool) {
	t.Helper()
	objs, fds = map[string]bool{}, map[string]bool{}
	dir := fmt.Sprintf("/proc/%d/fd", pid)
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		target, err := os.Readlink(filepath.Join(dir, e.Name()))
		if err != nil || !strings.HasPrefix(target, "anon_inode:") {
			continue // closed meanwhile, or a file
		}
		kind := strings.TrimPrefix(target, "anon_inode:")
		if !strings.Contains(kind, "bpf") && !strings.Contains(kind, "btf") && kind != "[perf_event]" {
			continue
		}
		fds["fd:"+e.Name()+":"+target] = true
		info, err := os.ReadFile(fmt.Sprintf("/proc/%d/fdinfo/%s", pid, e.Name()))
		if err != nil {
			continue
		}
		for _, l := range strings.Split(string(info), "\n") {
			k, v, ok := strings.Cut(l, ":")
			if !ok {
				continue
			}
			if kind, ok := strings.CutSuffix(k, "_id"); ok && slices.Contains([]string{"prog", "map", "link", "btf"}, kind) {
				objs[kind+":"+strings.TrimSpace(v)] = true
			}
		}
	}
	return objs, fds
}
