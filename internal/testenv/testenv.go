// Package testenv gates tests on what the machine offers (root, BPF, the
// reference bpftrace binary). Outside CI a missing facility skips the test;
// under CI (CI=true) it fails it, so that a kernel test can never pass by
// silently not running.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
)

// InCI reports whether the tests run under CI (CI=true in the environment).
func InCI() bool {
	v := os.Getenv("CI")
	return v == "true" || v == "1"
}

// Skip skips a test that needs something this machine lacks, or fails it
// under CI, where every test must run.
func Skip(t testing.TB, why string) {
	t.Helper()
	skip(t, why)
}

// skip skips the test, or fails it under CI.
func skip(t testing.TB, why string) {
	t.Helper()
	if InCI() {
		t.Fatalf("required facility missing under CI: %s", why)
		return
	}
	t.Skip(why)
}

// Bpftrace is the reference bpftrace binary.
const Bpftrace = "/usr/bin/bpftrace"

// RequireBpftrace returns the path of the reference bpftrace binary, or
// skips the test (fails it under CI) when it is not installed.
func RequireBpftrace(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(Bpftrace); err != nil {
		skip(t, "bpftrace is not installed (apt-get install bpftrace)")
	}
	return Bpftrace
}

// ClassicTools returns the paths of the classic bpftrace tools that Debian's
// bpftrace package installs as /usr/sbin/*.bt, or skips the test (fails it
// under CI) when there are none.
func ClassicTools(t testing.TB) []string {
	t.Helper()
	files, _ := filepath.Glob("/usr/sbin/*.bt")
	if len(files) == 0 {
		skip(t, "no classic tools in /usr/sbin/*.bt (apt-get install bpftrace)")
	}
	return files
}

var (
	bpfOnce sync.Once
	bpfErr  string

	lockOnce sync.Once
	lockFile *os.File // held (flock) until the process exits
)

// KernelLock is the file whose lock serialises the kernel tests of every
// package: go test runs package test binaries in parallel, and leak checks
// that list every loaded BPF object, or timing-sensitive probes, must not
// see another package's programs.
const KernelLock = "/tmp/gobpftrace-kernel-tests.lock"

// lockKernel takes the machine-wide kernel-test lock for the rest of the
// process's life (the kernel drops it when the process exits).
func lockKernel(t testing.TB) {
	lockOnce.Do(func() {
		f, err := os.OpenFile(KernelLock, os.O_CREATE|os.O_RDWR, 0o666)
		if err != nil {
			t.Logf("kernel-test lock not taken: %v", err)
			return
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
			f.Close()
			t.Logf("kernel-test lock not taken: %v", err)
			return
		}
		lockFile = f
	})
}

// RequireBPF skips the test (fails it under CI) unless the process runs as
// root on a kernel with BPF: the checks a kernel test needs before loading
// programs. It then holds the machine-wide kernel-test lock (KernelLock),
// so kernel tests of different packages do not run at the same time.
func RequireBPF(t testing.TB) {
	t.Helper()
	bpfOnce.Do(func() {
		switch {
		case os.Geteuid() != 0:
			bpfErr = "kernel test needs root"
		default:
			if _, err := os.Stat("/sys/kernel/btf/vmlinux"); err != nil {
				bpfErr = "kernel has no BTF at /sys/kernel/btf/vmlinux"
			}
		}
	})
	if bpfErr != "" {
		skip(t, bpfErr)
		return
	}
	lockKernel(t)
}

// RequireTool skips the test (fails it under CI) unless the named program
// is on PATH, and returns its path.
func RequireTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		skip(t, name+" is not on PATH")
	}
	return p
}

// BuildGo builds the Go main package src (one file, main.go) with extra
// go build flags in a fresh temporary directory and returns the binary's
// path; main.go sits beside it. It needs the go command (see Skip).
func BuildGo(t testing.TB, src string, flags ...string) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		skip(t, "no go toolchain")
		return ""
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module prog\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", append(append([]string{"build", "-o", "prog"}, flags...), ".")...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return filepath.Join(dir, "prog")
}
