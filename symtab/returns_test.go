package symtab

import (
	"debug/elf"
	"errors"
	"github.com/gobpftrace/gobpftrace/internal/testenv"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const returnsProg = `package main

import "os"

//go:noinline
func early(x int) int {
	if x < 0 {
		return -1
	}
	if x == 0 {
		return 0
	}
	if x > 100 {
		return 100
	}
	s := 0
	for i := 0; i < x; i++ {
		s += i
	}
	return s
}

//go:noinline
func never(s string) { panic(s) }

type T struct{ n int }

//go:noinline
func (t *T) M(x int) int {
	if x > 3 {
		return t.n
	}
	return x
}

//go:noinline
func (t T) V() int { return t.n + 1 }

func main() {
	t := &T{n: len(os.Args)}
	println(early(len(os.Args)), t.M(2), t.V())
	if len(os.Args) > 5 {
		never("x")
	}
}
`

// buildProg builds src as a main package in a temporary directory, with
// extra go build arguments, and returns the binary's path.
func buildProg(t *testing.T, src string, args ...string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module target\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", append(append([]string{"build", "-o", "prog"}, args...), ".")...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return filepath.Join(dir, "prog")
}

// objdumpReturns runs `go tool objdump -s pattern` on bin and returns, for
// each function it prints, the addresses of its RET instructions.
func objdumpReturns(t *testing.T, bin, pattern string) map[string][]uint64 {
	t.Helper()
	out, err := exec.Command("go", "tool", "objdump", "-s", pattern, bin).Output()
	if err != nil {
		t.Fatalf("go tool objdump: %v", err)
	}
	rets := map[string][]uint64{}
	fn := ""
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "TEXT" {
			fn = strings.TrimSuffix(f[1], "(SB)")
			rets[fn] = nil
			continue
		}
		if len(f) >= 4 && f[3] == "RET" {
			a, err := strconv.ParseUint(strings.TrimPrefix(f[1], "0x"), 16, 64)
			if err != nil {
				t.Fatalf("objdump line %q: %v", line, err)
			}
			rets[fn] = append(rets[fn], a)
		}
	}
	return rets
}

func TestReturnsMatchObjdump(t *testing.T) {
	bin := buildProg(t, returnsProg)
	want := objdumpReturns(t, bin, `^main\.`)
	if n := len(want["main.early"]); n < 4 {
		t.Fatalf("objdump shows %d RETs in main.early, want at least 4 (one per return)", n)
	}
	for _, path := range []string{bin, buildProg(t, returnsProg, "-ldflags=-s -w")} {
		tab, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		for fn, rets := range want {
			s, ok := tab.Lookup(fn)
			if !ok {
				t.Errorf("%s: no symbol %s", tab.Source, fn)
				continue
			}
			got, err := tab.Returns(s)
			if len(rets) == 0 {
				if !errors.Is(err, ErrNoReturn) {
					t.Errorf("%s: Returns(%s) = %#x, %v; want ErrNoReturn", tab.Source, fn, got, err)
				}
				continue
			}
			if err != nil || !slices.Equal(got, rets) {
				t.Errorf("%s: Returns(%s) = %#x, %v; objdump: %#x", tab.Source, fn, got, err, rets)
			}
		}
	}
	for _, fn := range []string{"main.early", "main.(*T).M", "main.T.V", "main.never"} {
		if _, ok := want[fn]; !ok {
			t.Errorf("objdump did not list %s: the test program lost a function", fn)
		}
	}
}

func TestDecodeReturns(t *testing.T) {
	// mov eax, 0xc3c3c3c3; test eax, eax; jz +1; ret; xor eax, eax; ret
	code := []byte{0xb8, 0xc3, 0xc3, 0xc3, 0xc3, 0x85, 0xc0, 0x74, 0x01, 0xc3, 0x31, 0xc0, 0xc3}
	got, err := DecodeReturns("f", code, 0x1000)
	if err != nil || !slices.Equal(got, []uint64{0x1009, 0x100c}) {
		t.Errorf("DecodeReturns = %#x, %v; want [0x1009 0x100c] (0xc3 bytes inside an immediate are no RET)", got, err)
	}
	// x86asm gives VZEROUPPER (c5 f8 77, as Go's assembly writes it) a
	// ModRM byte it has not.
	if got, err := DecodeReturns("f", []byte{0xc5, 0xf8, 0x77, 0xc3}, 0); err != nil || !slices.Equal(got, []uint64{3}) {
		t.Errorf("VZEROUPPER; RET: %#x, %v", got, err)
	}
	// ret $8 is a RET too.
	if got, err := DecodeReturns("f", []byte{0x90, 0xc2, 0x08, 0x00}, 0); err != nil || !slices.Equal(got, []uint64{1}) {
		t.Errorf("RET imm16: %#x, %v", got, err)
	}
	if _, err := DecodeReturns("f", []byte{0x90, 0xcc, 0xe8, 0, 0, 0, 0}, 0); !errors.Is(err, ErrNoReturn) {
		t.Errorf("no RET: err = %v, want ErrNoReturn", err)
	}
	// A truncated instruction must not be guessed past.
	if _, err := DecodeReturns("f", []byte{0xc3, 0x48, 0xb8, 0x01}, 0); err == nil || !strings.Contains(err.Error(), "f+0x1") {
		t.Errorf("truncated instruction: err = %v, want an error at f+0x1", err)
	}
}

func TestReturnsErrors(t *testing.T) {
	tab, err := Open(buildProg(t, returnsProg))
	if err != nil {
		t.Fatal(err)
	}
	s, _ := tab.Lookup("main.early")
	if _, err := tab.Returns(Symbol{Name: "nosize", Addr: s.Addr}); err == nil || !strings.Contains(err.Error(), "size") {
		t.Errorf("zero size: err = %v", err)
	}
	if _, err := tab.Returns(Symbol{Name: "far", Addr: 1 << 60, Size: 4}); err == nil {
		t.Error("a function outside every segment gave no error")
	}
	arm := *tab
	arm.Machine = elf.EM_AARCH64
	if _, err := arm.Returns(s); err == nil || !strings.Contains(err.Error(), "x86-64") {
		t.Errorf("arm64: err = %v, want an x86-64-only error", err)
	}
	noPath := *tab
	noPath.Path = ""
	if _, err := noPath.Returns(s); err == nil {
		t.Error("a table without a path gave no error")
	}
}

// TestReturnsMatchGNUObjdump compares Returns with GNU objdump, a decoder
// independent of x86asm, on every function of a Go binary, the runtime's
// assembly (memmove, cmpbody: AVX2, VZEROUPPER) included: where Returns
// gives addresses, they must be exactly objdump's RETs.
func TestReturnsMatchGNUObjdump(t *testing.T) {
	objdump, err := exec.LookPath("objdump")
	if err != nil {
		testenv.Skip(t, "GNU objdump is not installed")
	}
	bin := buildProg(t, returnsProg)
	out, err := exec.Command(objdump, "-d", "--no-show-raw-insn", bin).Output()
	if err != nil {
		t.Fatalf("objdump: %v", err)
	}
	gnu := map[uint64]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		addr, rest, ok := strings.Cut(strings.TrimSpace(line), ":")
		a, err := strconv.ParseUint(addr, 16, 64)
		if f := strings.Fields(rest); ok && err == nil && len(f) > 0 && strings.HasPrefix(f[0], "ret") {
			gnu[a] = true
		}
	}
	tab, err := Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	decoded := 0
	for _, s := range tab.Symbols() {
		got, err := tab.Returns(s)
		if err != nil {
			continue // no RET, or not decodable: Returns refuses, which is safe
		}
		decoded++
		var want []uint64
		for a := s.Addr; a < s.Addr+s.Size; a++ {
			if gnu[a] {
				want = append(want, a)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: Returns = %#x, GNU objdump: %#x", s.Name, got, want)
		}
	}
	if decoded < 1000 {
		t.Errorf("only %d functions decoded", decoded)
	}
	for _, fn := range []string{"runtime.memmove", "cmpbody"} {
		if s, ok := tab.Lookup(fn); !ok {
			t.Errorf("no %s", fn)
		} else if _, err := tab.Returns(s); err != nil {
			t.Errorf("%s: %v", fn, err)
		}
	}
}
