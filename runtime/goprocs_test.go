package runtime_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gobpftrace/gobpftrace"
	"github.com/gobpftrace/gobpftrace/internal/testenv"
	"github.com/gobpftrace/gobpftrace/runtime"
	"github.com/gobpftrace/gobpftrace/symtab"
)

// goProcProg is the traced program of the Go-native tracing tests. It
// prints "ready", waits for a byte on stdin, then makes N rounds of calls
// (N is its argument) and prints N. main.leaf is small and inlined into
// main.outer; it calls main.bottom, which is not inlined, so a stack taken
// in bottom has leaf as an inlined frame of outer.
const goProcProg = `package main

import (
	"fmt"
	"os"
	"strconv"
)

var sink int

//go:noinline
func bottom(x int) int { return x + 1 } // LINE:bottom

func leaf(x int) int {
	return bottom(x) * 2 // LINE:leaf
}

//go:noinline
func outer(x int) int {
	return leaf(x) + 1 // LINE:outer
}

type T struct{ n int }

//go:noinline
func (t *T) A(x int) int { return t.n + x }

//go:noinline
func (t *T) B(x int) int { return t.n * x }

//go:noinline
func (t T) V() int { return t.n }

//go:noinline
func f(x int) int { return x + 7 }

func main() {
	n, _ := strconv.Atoi(os.Args[1])
	fmt.Println("ready")
	var b [1]byte
	os.Stdin.Read(b[:])
	t := &T{n: 3}
	for i := 0; i < n; i++ {
		sink += f(i) + outer(i) + t.A(i) + t.B(i) + t.B(i+1) + t.V() // LINE:main
	}
	fmt.Println(n)
}
`

// goProcLine returns the line of goProcProg marked LINE:name.
func goProcLine(t *testing.T, name string) int {
	for i, l := range strings.Split(goProcProg, "\n") {
		if strings.HasSuffix(l, "// LINE:"+name) {
			return i + 1
		}
	}
	t.Fatalf("no line %s", name)
	return 0
}

// goProcBuild builds goProcProg in dir with extra go build flags and
// returns the binary's path and the source file's.
func goProcBuild(t *testing.T, flags ...string) (bin, src string) {
	t.Helper()
	bin = testenv.BuildGo(t, goProcProg, flags...)
	return bin, filepath.Join(filepath.Dir(bin), "main.go")
}

// goProc is a started goProcProg, waiting for its go.
type goProc struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   *bufio.Reader
}

// startGoProc starts name args... (goProcProg, or a command that execs
// it) and waits until the program says it is ready.
func startGoProc(t *testing.T, name string, args ...string) *goProc {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	p := &goProc{cmd, stdin, bufio.NewReader(stdout)}
	if l, err := p.out.ReadString('\n'); err != nil || l != "ready\n" {
		t.Fatalf("target did not start: %q, %v", l, err)
	}
	return p
}

// finish releases the program and returns what it printed last.
func (p *goProc) finish(t *testing.T) string {
	t.Helper()
	p.stdin.Write([]byte{'g'})
	p.stdin.Close()
	rest, _ := io.ReadAll(p.out)
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("target: %v", err)
	}
	return strings.TrimSpace(string(rest))
}

// traceGoProc runs script with -p pid semantics (pid 0: none) while p makes
// its calls, and returns the script's output.
func traceGoProc(t *testing.T, script string, pid int, p *goProc) string {
	t.Helper()
	return traceWhile(t, script, pid, func() {
		if got := p.finish(t); got != "100" {
			t.Errorf("target printed %q", got)
		}
	})
}

// traceProgram builds the Go program src, traces it with script (a
// format whose %[1]s is the binary's path) while it runs to its end, and
// returns the script's output and the program's, which must have lines
// lines and exit 0.
func traceProgram(t *testing.T, src, script string, lines int) (traced, printed string) {
	t.Helper()
	bin := testenv.BuildGo(t, src)
	var out []byte
	var err error
	traced = traceWhile(t, fmt.Sprintf(script, bin), 0, func() {
		out, err = exec.Command(bin).CombinedOutput()
	})
	if err != nil || strings.Count(string(out), "\n") != lines {
		t.Fatalf("target: %v\n%s", err, out)
	}
	return traced, string(out)
}

// traceWhile compiles script, runs it until every probe is attached, runs
// workload, then ends the run and returns the script's output.
func traceWhile(t *testing.T, script string, pid int, workload func()) string {
	t.Helper()
	prog, err := gobpftrace.Compile("stdin", script, &gobpftrace.CompileOptions{PID: pid})
	if err != nil {
		t.Fatalf("compile %q: %v", script, err)
	}
	attached := make(chan struct{})
	sess, err := runtime.Load(prog, &runtime.Options{PID: pid, TTL: time.Minute, OnAttached: func() { close(attached) }})
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var b strings.Builder
	done := make(chan error, 1)
	go func() { done <- sess.Run(ctx, &b) }()
	select {
	case <-attached:
	case err := <-done:
		t.Fatalf("Run before attaching: %v\n%s", err, b.String())
	}
	workload()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v\n%s", err, b.String())
	}
	return b.String()
}

// checkUstack asserts that out holds a stack taken in main.f and named
// through the symbol table: main.f+0 called from main.main.
func checkUstack(t *testing.T, out string) {
	t.Helper()
	if !regexp.MustCompile(`(?m)^\s+main\.f\+0\n\s+main\.main\+\d+\n`).MatchString(out) {
		t.Errorf("no symbolized ustack (main.f+0 from main.main) in:\n%s", out)
	}
}

const goProcScript = `uprobe:%[1]s:main.f { @f = count(); }
uprobe:%[1]s:main.f /@seen == 0/ { @seen = 1; printf("%%s", ustack(3)); }
uprobe:%[1]s:main.*T* { @m[probe] = count(); }`

// TestStrippedGoBinary: a Go binary built with -ldflags='-s -w' has no
// .symtab; probes by name, wildcards over methods and ustack all work from
// .gopclntab.
func TestStrippedGoBinary(t *testing.T) {
	testenv.RequireBPF(t)
	bin, _ := goProcBuild(t, "-ldflags=-s -w")
	if tab, err := symtab.Open(bin); err != nil || tab.Source != symtab.FromGopclntab {
		t.Fatalf("the stripped binary's symbols: %v (want them from .gopclntab)", err)
	}
	p := startGoProc(t, bin, "100")
	out := traceGoProc(t, fmt.Sprintf(goProcScript, bin), 0, p)
	if got := mapLine(t, out, "@f"); got != "100" {
		t.Errorf("@f = %s, want 100\n%s", got, out)
	}
	for name, want := range map[string]string{"(*T).A": "100", "(*T).B": "200", "T.V": "100"} {
		if got := mapLine(t, out, fmt.Sprintf("@m[uprobe:%s:main.%s]", bin, name)); got != want {
			t.Errorf("%s: %s hits, want %s\n%s", name, got, want, out)
		}
	}
	checkUstack(t, out)
}

// TestStrippedGoQuotedWildcard: a quoted wildcard over the methods of a
// type, `"main.(*T).*"`, which bpftrace 0.17 expands too (checked:
// uprobe:/bin/bash:"rl_get*" attaches 10 probes).
func TestStrippedGoQuotedWildcard(t *testing.T) {
	testenv.RequireBPF(t)
	bin, _ := goProcBuild(t, "-ldflags=-s -w")
	p := startGoProc(t, bin, "100")
	out := traceGoProc(t, fmt.Sprintf(`uprobe:%s:"main.(*T).*" { @m[probe] = count(); }`, bin), 0, p)
	for name, want := range map[string]string{"A": "100", "B": "200"} {
		if got := mapLine(t, out, fmt.Sprintf("@m[uprobe:%s:main.(*T).%s]", bin, name)); got != want {
			t.Errorf("(*T).%s: %s hits, want %s\n%s", name, got, want, out)
		}
	}
	if strings.Contains(out, "main.T.V]") {
		t.Errorf("the wildcard over (*T) methods matched a method of T:\n%s", out)
	}
}

// TestGoArgsOverWildcard: a wildcard over the methods of *T reads the
// receiver and the parameter they share (same name, type and register)
// in every one of them.
func TestGoArgsOverWildcard(t *testing.T) {
	testenv.RequireBPF(t)
	bin, _ := goProcBuild(t)
	p := startGoProc(t, bin, "100")
	out := traceGoProc(t, fmt.Sprintf(`uprobe:%s:"main.(*T).*" { @sum[probe] = sum(args.x); @n[probe] = max(args.t->n); }`, bin), 0, p)
	// A(i) for i < 100, B(i) and B(i+1): x sums 4950, and 4950+5050; n is 3.
	for key, want := range map[string]string{
		"@sum[uprobe:%s:main.(*T).A]": "4950", "@sum[uprobe:%s:main.(*T).B]": "10000",
		"@n[uprobe:%s:main.(*T).A]": "3", "@n[uprobe:%s:main.(*T).B]": "3",
	} {
		if got := mapLine(t, out, fmt.Sprintf(key, bin)); got != want {
			t.Errorf("%s = %s, want %s\n%s", fmt.Sprintf(key, bin), got, want, out)
		}
	}
}

// TestPrintArgs: print(args) shows every parameter at once, and
// print(rets) every result, as the fields of one struct.
func TestPrintArgs(t *testing.T) {
	testenv.RequireBPF(t)
	bin, _ := goProcBuild(t)
	p := startGoProc(t, bin, "100")
	out := traceGoProc(t, fmt.Sprintf(`uprobe:%[1]s:"main.(*T).A" /args.x == 7/ { print(args); }
ur:%[1]s:main.f /rets.0 == 12/ { print(rets); }`, bin), 0, p)
	if !regexp.MustCompile(`(?m)^\{t:0x[0-9a-f]+ x:7\}$`).MatchString(out) || !strings.Contains(out, "\n{~r0:12}\n") {
		t.Errorf("print(args) and print(rets):\n%s", out)
	}
}

// TestGoProcessInMountNamespace: a process in another mount namespace (as
// in a container) runs a binary whose path exists only there, on a private
// tmpfs. With -p PID it is traced from the host both by that path (found
// through /proc/PID/root) and with no path (/proc/PID/exe), and its stacks
// are symbolized.
func TestGoProcessInMountNamespace(t *testing.T) {
	testenv.RequireBPF(t)
	unshare := testenv.RequireTool(t, "unshare")
	bin, _ := goProcBuild(t)
	priv := filepath.Join(t.TempDir(), "priv")
	if err := os.Mkdir(priv, 0o755); err != nil {
		t.Fatal(err)
	}
	inside := filepath.Join(priv, "goproc")
	p := startGoProc(t, unshare, "-m", "--propagation", "private", "sh", "-c",
		fmt.Sprintf("mount -t tmpfs tmpfs %[1]s && cp %[2]s %[3]s && exec %[3]s 100", priv, bin, inside))
	if _, err := os.Stat(inside); err == nil {
		t.Fatalf("%s exists outside the target's mount namespace", inside)
	}
	pid := p.cmd.Process.Pid
	script := fmt.Sprintf(`uprobe:%s:main.f { @path = count(); }
uprobe:"main.f" { @nopath = count(); }
uprobe:"main.f" /@seen == 0/ { @seen = 1; printf("%%s", ustack(3)); }`, inside)
	out := traceGoProc(t, script, pid, p)
	for _, name := range []string{"@path", "@nopath"} {
		if got := mapLine(t, out, name); got != "100" {
			t.Errorf("%s = %s, want 100\n%s", name, got, out)
		}
	}
	checkUstack(t, out)
}

// TestUstackGoMode: ustack(go) prints each frame's file:line from
// .gopclntab and the calls inlined at a frame as extra `[inlined]` lines
// (main.leaf is inlined into main.outer), in plain and stripped binaries;
// ustack() stays as bpftrace prints it.
func TestUstackGoMode(t *testing.T) {
	testenv.RequireBPF(t)
	for _, c := range []struct {
		name  string
		flags []string
	}{{"plain", nil}, {"stripped", []string{"-ldflags=-s -w"}}} {
		t.Run(c.name, func(t *testing.T) {
			bin, src := goProcBuild(t, c.flags...)
			p := startGoProc(t, bin, "100")
			script := fmt.Sprintf(`uprobe:%s:main.bottom /@seen == 0/ { @seen = 1; printf("go:%%s", ustack(go, 3)); printf("default:%%s", ustack(3)); }`, bin)
			out := traceGoProc(t, script, 0, p)
			want := fmt.Sprintf(`go:
        main.bottom+0 (%[1]s:%[2]d)
        main.leaf (%[1]s:%[3]d) [inlined]
        main.outer+@@ (%[1]s:%[4]d)
        main.main+@@ (%[1]s:%[5]d)
default:
        main.bottom+0
        main.outer+@@
        main.main+@@
`, src, goProcLine(t, "bottom"), goProcLine(t, "leaf"), goProcLine(t, "outer"), goProcLine(t, "main"))
			want = strings.ReplaceAll(regexp.QuoteMeta(want), "@@", `\d+`)
			if !regexp.MustCompile(want).MatchString(out) {
				t.Errorf("want\n%s\nin\n%s", want, out)
			}
		})
	}
}

// TestStackKeys: stacks as map keys go through bpf_get_stackid and a stack
// trace map; user space prints them as bpftrace does, symbolized (kernel
// stacks too: their frames come from /proc/kallsyms).
func TestStackKeys(t *testing.T) {
	testenv.RequireBPF(t)
	bin, _ := goProcBuild(t)
	p := startGoProc(t, bin, "100")
	out := traceGoProc(t, fmt.Sprintf(`uprobe:%s:main.f { @u[ustack(2)] = count(); @v[1] = ustack(2); } profile:hz:997 { @k[kstack(1), 7] = count(); }`, bin), 0, p)
	// At a function entry bpf_get_stackid, like bpftrace 0.17, misses the
	// immediate caller: the second frame is main.main's caller chain.
	if !regexp.MustCompile(`(?m)^@u\[\n    main\.f\+0\n    \S+\+\d+\n\]: 100$`).MatchString(out) {
		t.Errorf("no symbolized user stack key with 100 hits in:\n%s", out)
	}
	// A stack as a map value is a stack id too, printed indented by 8.
	if !regexp.MustCompile(`(?m)^@v\[1\]: \n        main\.f\+0\n        \S+\+\d+\n`).MatchString(out) {
		t.Errorf("no symbolized stack value in:\n%s", out)
	}
	if !regexp.MustCompile(`(?m)^@k\[\n    \S+\+\d+\n, 7\]: \d+$`).MatchString(out) {
		t.Errorf("no kernel stack key in:\n%s", out)
	}
}
