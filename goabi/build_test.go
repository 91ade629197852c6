package goabi

import (
	"github.com/gobpftrace/gobpftrace/internal/testenv"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// Built test programs are shared by the tests of one run.
var (
	buildMu  sync.Mutex
	builtDir string
	built    = map[string]builtProg{}
)

type builtProg struct {
	path, asm string
	err       error
}

func TestMain(m *testing.M) {
	// Keep the DWARF cache of this package's tests out of the user's cache
	// directory (tests that need another setting set their own).
	cache, err := os.MkdirTemp("", "goabi-cache")
	if err == nil {
		os.Setenv(CacheEnv, cache)
		defer os.RemoveAll(cache)
	}
	code := m.Run()
	if builtDir != "" {
		os.RemoveAll(builtDir)
	}
	os.Exit(code)
}

// buildProg builds the Go program src (a main package) with extra go build
// flags and returns the binary's path and the compiler's output (the
// assembly listing when the flags include -gcflags=-S).
func buildProg(t testing.TB, key, src string, flags ...string) (path, asm string) {
	return buildArch(t, runtime.GOARCH, key, src, flags...)
}

// buildArch is buildProg for GOARCH goarch (cross-compiled).
func buildArch(t testing.TB, goarch, key, src string, flags ...string) (path, asm string) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		testenv.Skip(t, "no go toolchain")
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	key += "-" + goarch
	if p, ok := built[key]; ok {
		if p.err != nil {
			t.Fatal(p.err)
		}
		return p.path, p.asm
	}
	if builtDir == "" {
		d, err := os.MkdirTemp("", "goabi-test")
		if err != nil {
			t.Fatal(err)
		}
		builtDir = d
	}
	dir := filepath.Join(builtDir, key)
	p := builtProg{path: filepath.Join(dir, "prog")}
	defer func() { built[key] = p }()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644)
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module prog\n\ngo 1.22\n"), 0o644)
	cmd := exec.Command("go", append(append([]string{"build", "-o", "prog"}, flags...), ".")...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off", "CGO_ENABLED=0", "GOARCH="+goarch)
	out, err := cmd.CombinedOutput()
	if err != nil {
		p.err = err
		t.Fatalf("go build %v: %v\n%s", flags, err, out)
	}
	p.asm = string(out)
	return p.path, p.asm
}

func sigsSource(t testing.TB) string {
	t.Helper()
	src, err := os.ReadFile("testdata/sigs/main.go")
	if err != nil {
		t.Fatal(err)
	}
	return string(src)
}

// sigs builds testdata/sigs normally, keeping the assembly listing.
func sigs(t testing.TB) (path, asm string) {
	return buildProg(t, "sigs", sigsSource(t), "-gcflags=-S")
}

// sigsFor builds testdata/sigs for goarch, keeping the assembly listing.
func sigsFor(t testing.TB, goarch string) (path, asm string) {
	return buildArch(t, goarch, "sigs", sigsSource(t), "-gcflags=-S")
}
