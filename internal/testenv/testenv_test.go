package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

func TestInCI(t *testing.T) {
	for _, c := range []struct {
		v    string
		want bool
	}{{"true", true}, {"1", true}, {"", false}, {"false", false}} {
		t.Setenv("CI", c.v)
		if got := InCI(); got != c.want {
			t.Errorf("CI=%q: InCI() = %v, want %v", c.v, got, c.want)
		}
	}
}

// fakeTB records whether a gate skipped or failed.
type fakeTB struct {
	testing.TB
	skipped, failed bool
}

func (f *fakeTB) Helper()               {}
func (f *fakeTB) Skip(...any)           { f.skipped = true }
func (f *fakeTB) Fatalf(string, ...any) { f.failed = true }

func TestSkipFailsUnderCI(t *testing.T) {
	t.Setenv("CI", "true")
	f := &fakeTB{}
	skip(f, "x")
	if !f.failed || f.skipped {
		t.Fatalf("under CI: failed=%v skipped=%v, want a failure", f.failed, f.skipped)
	}
	t.Setenv("CI", "")
	f = &fakeTB{}
	skip(f, "x")
	if f.failed || !f.skipped {
		t.Fatalf("outside CI: failed=%v skipped=%v, want a skip", f.failed, f.skipped)
	}
}

func TestKernelLockIsExclusive(t *testing.T) {
	lockKernel(t)
	if lockFile == nil {
		t.Fatal("the kernel-test lock was not taken")
	}
	f, err := os.Open(KernelLock)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// flock locks belong to open file descriptions: a second one of the
	// same file conflicts, as another test binary's would.
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != syscall.EWOULDBLOCK {
		t.Fatalf("second exclusive lock: %v, want EWOULDBLOCK", err)
	}
}

func TestBuildGo(t *testing.T) {
	bin := BuildGo(t, "package main\n\nfunc main() { println(\"built\") }\n", "-ldflags=-s -w")
	out, err := exec.Command(bin).CombinedOutput()
	if err != nil || string(out) != "built\n" {
		t.Fatalf("running the built program: %q, %v", out, err)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(bin), "main.go")); err != nil {
		t.Fatalf("main.go is not beside the binary: %v", err)
	}
}
