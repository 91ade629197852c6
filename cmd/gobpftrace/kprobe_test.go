package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gobpftrace/gobpftrace/internal/testenv"
)

// TestKprobe: kprobe scripts pass the verifier; where the kernel has no
// kprobes (CONFIG_KPROBES off), a run fails at the attach step with exit
// status 1 and says why.
func TestKprobe(t *testing.T) {
	testenv.RequireBPF(t)
	bin := filepath.Join(t.TempDir(), "gobpftrace")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	t.Run("verify", func(t *testing.T) {
		code, out, errOut := runBin(t, bin, "--verify", "-e", `kprobe:vfs_read { @[comm, kstack] = count(); @a[arg0] = sum(arg2); }
kprobe:vfs_read+4 { printf("%s %d\n", probe, reg("di")); }
kretprobe:vfs_rea* { @r[func] = hist(retval); }`)
		if code != 0 {
			t.Fatalf("exit status %d; stderr:\n%s", code, errOut)
		}
		line := regexp.MustCompile(`^(p\d+_\w+): (\w+), \d+ instructions, [1-9]\d* processed by the verifier`)
		var got []string
		for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			m := line.FindStringSubmatch(l)
			if m == nil {
				t.Errorf("line %q", l)
				continue
			}
			got = append(got, m[1]+" "+m[2])
		}
		want := []string{"p0_kprobe kprobe", "p1_kprobe kprobe", "p2_kretprobe kretprobe"}
		if !slices.Equal(got, want) {
			t.Errorf("programs %q, want %q", got, want)
		}
	})

	t.Run("codegen", func(t *testing.T) {
		code, out, errOut := runBin(t, bin, "-d", "codegen", "-e", `kr:vfs_read { @ = retval; }`)
		if code != 0 || !strings.Contains(out, "p0_kretprobe") {
			t.Errorf("exit status %d; stdout:\n%s\nstderr:\n%s", code, out, errOut)
		}
	})

	t.Run("run", func(t *testing.T) {
		_, pmu := os.Stat("/sys/bus/event_source/devices/kprobe")
		if _, events := os.Stat("/sys/kernel/tracing/kprobe_events"); pmu == nil || events == nil {
			// A kernel with kprobes: the same script must attach.
			if code, out, errOut := runBin(t, bin, "--dry-run", "-e", `kprobe:vfs_read { @ = count(); }`); code != 0 {
				t.Fatalf("exit status %d on a kernel with kprobes; stdout %q stderr %q", code, out, errOut)
			}
			return
		}
		code, out, errOut := runBin(t, bin, "-e", `BEGIN { printf("begun\n"); } kprobe:vfs_read { @ = count(); }`)
		if code != 1 {
			t.Errorf("exit status %d, want 1", code)
		}
		want := "ERROR: attaching kprobe:vfs_read: kprobes are not available in this kernel (it was built without CONFIG_KPROBES)\n"
		if !strings.HasSuffix(errOut, want) {
			t.Errorf("stderr %q, want it to end with %q", errOut, want)
		}
		// Nothing ran and no maps are printed after a failed attach, as
		// with bpftrace.
		if out != "Attaching 2 probes...\n" || strings.Contains(errOut, "panic") {
			t.Errorf("stdout %q stderr %q", out, errOut)
		}
	})
}
