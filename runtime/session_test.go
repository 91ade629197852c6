package runtime_test

// Lifecycle tests of Session: every way a run ends (exit(), context
// cancel, TTL, the caller leaving Events early, a verifier rejection)
// detaches every link and closes every map and program. They compile real
// scripts, so they live outside package runtime (the root package imports
// nothing of runtime, but runtime's internal tests cannot import it).
// The leak check is in leakcheck_test.go.

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"

	"github.com/gobpftrace/gobpftrace"
	"github.com/gobpftrace/gobpftrace/codegen"
	"github.com/gobpftrace/gobpftrace/internal/testenv"
	"github.com/gobpftrace/gobpftrace/runtime"
)

func compile(t *testing.T, src string) *codegen.Program {
	t.Helper()
	prog, err := gobpftrace.Compile("lifecycle.bt", src, nil)
	if err != nil {
		t.Fatalf("compile %q: %v", src, err)
	}
	return prog
}

// runScript loads src and runs it to the end with opts, sampling the
// objects once attached; it returns the output, Run's error and how long
// Run took.
func runScript(t *testing.T, ctx context.Context, src string, opts runtime.Options) (string, error, time.Duration) {
	t.Helper()
	lc := newLeakCheck(t)
	user := opts.OnAttached
	opts.OnAttached = func() {
		lc.sample()
		if user != nil {
			user()
		}
	}
	sess, err := runtime.Load(compile(t, src), &opts)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	start := time.Now()
	err = sess.Run(ctx, &out)
	took := time.Since(start)
	if cerr := sess.Close(); cerr != nil {
		t.Errorf("Close: %v", cerr)
	}
	lc.done()
	// cilium/ebpf closes unreachable fds on GC: keep the session
	// reachable so that only Close can pass the check.
	goruntime.KeepAlive(sess)
	return out.String(), err, took
}

// TestRunExitText: exit() in BEGIN ends Run, which prints exactly what
// bpftrace prints (checked against bpftrace 0.17: the Attaching line, the
// printf output, two newlines, then the maps in name order).
func TestRunExitText(t *testing.T) {
	testenv.RequireBPF(t)
	out, err, _ := runScript(t, context.Background(),
		`BEGIN { @a = 1; @b[2] = count(); @c["k"] = sum(5); printf("x %d\n", 5); exit(); }`, runtime.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "Attaching 1 probe...\nx 5\n\n\n@a: 1\n@b[2]: 1\n@c[k]: 5\n"
	if out != want {
		t.Errorf("output %q\nwant   %q", out, want)
	}
}

// TestRunCancel: cancelling the context ends a run that has no exit(); END
// still runs and the maps are printed.
func TestRunCancel(t *testing.T) {
	testenv.RequireBPF(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var cancelled time.Time
	out, err, _ := runScript(t, ctx, `interval:ms:10 { @n = count(); } END { printf("end\n"); }`, runtime.Options{
		OnAttached: func() {
			time.AfterFunc(150*time.Millisecond, func() { cancelled = time.Now(); cancel() })
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if since := time.Since(cancelled); cancelled.IsZero() || since > 2*time.Second {
		t.Errorf("Run returned %v after the cancel", since)
	}
	if !strings.HasPrefix(out, "Attaching 2 probes...\n") || !strings.Contains(out, "end\n\n\n@n: ") {
		t.Errorf("output %q", out)
	}
}

// TestRunTTL: Options.TTL ends the run.
func TestRunTTL(t *testing.T) {
	testenv.RequireBPF(t)
	const ttl = 200 * time.Millisecond
	out, err, took := runScript(t, context.Background(), `interval:ms:10 { @n = count(); }`, runtime.Options{TTL: ttl, Quiet: true})
	if err != nil {
		t.Fatal(err)
	}
	if took < ttl || took > ttl+2*time.Second {
		t.Errorf("Run with TTL %v took %v", ttl, took)
	}
	if !strings.HasPrefix(out, "\n\n@n: ") {
		t.Errorf("output %q", out)
	}
}

// TestEventsBreak: a caller that stops iterating Events early ends the
// run: the probes are detached at once (the links are gone before Close),
// and Close releases the rest.
func TestEventsBreak(t *testing.T) {
	testenv.RequireBPF(t)
	lc := newLeakCheck(t)
	sess, err := runtime.Load(compile(t, `interval:ms:5 { printf("tick %d\n", 7); }`), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	n := 0
	for ev, err := range sess.Events(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if got := ev.String(); got != "tick 7\n" {
			t.Errorf("event %q", got)
		}
		if n++; n == 3 {
			lc.sample()
			break
		}
	}
	if n != 3 {
		t.Fatalf("%d events, want 3", n)
	}
	// The links (and the perf events that hold the program) are gone
	// once the iteration ended, before Close.
	if !slices.ContainsFunc(slices.Collect(maps.Keys(lc.ours)), func(o string) bool { return strings.HasPrefix(o, "link:") }) {
		t.Fatalf("no link held while attached: %v", lc.ours)
	}
	waitGone(t, lc.ours, "link")
	if err := sess.Close(); err != nil {
		t.Fatal(err)
	}
	lc.done()
	goruntime.KeepAlive(sess)
}

// corrupt makes the first instruction of the statement annotated with
// stmt read r8, which nothing initialises, keeping its metadata (label,
// source annotation).
func corrupt(t *testing.T, prog *codegen.Program, stmt string) {
	t.Helper()
	for _, p := range prog.Probes {
		for i := range p.Insns {
			ins := &p.Insns[i]
			if src := ins.Source(); src != nil && strings.Contains(src.String(), stmt) {
				bad := asm.Mov.Reg(asm.R0, asm.R8)
				ins.OpCode, ins.Dst, ins.Src, ins.Offset, ins.Constant = bad.OpCode, bad.Dst, bad.Src, bad.Offset, bad.Constant
				return
			}
		}
	}
	t.Fatalf("no instruction annotated %q", stmt)
}

const badScript = "BEGIN {\n  @a = 1;\n  @zq = 42;\n}\n"

// checkRejection checks that err names the kernel's reason and the script
// line of the failing instruction.
func checkRejection(t *testing.T, err error) {
	t.Helper()
	var ve *runtime.VerifierError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v, want a *runtime.VerifierError", err)
	}
	if ve.Reason != "R8 !read_ok" {
		t.Errorf("reason %q, want R8 !read_ok (log %q)", ve.Reason, ve.Log)
	}
	if ve.Source == nil || !strings.Contains(ve.Source.String(), "lifecycle.bt:3 @zq = 42") {
		t.Errorf("source %v, want lifecycle.bt:3 @zq = 42", ve.Source)
	}
	if msg := err.Error(); !strings.Contains(msg, "R8 !read_ok") || !strings.Contains(msg, "lifecycle.bt:3") {
		t.Errorf("message %q lacks the reason or the script line", msg)
	}
	var inner *ebpf.VerifierError
	if !errors.As(err, &inner) {
		t.Error("the kernel's verifier error is not wrapped")
	}
}

// TestLoadRejected: a program the verifier rejects fails Load with the
// kernel's reason and the script line, and leaves nothing loaded (the maps
// were created before the program).
func TestLoadRejected(t *testing.T) {
	testenv.RequireBPF(t)
	_, fdsBefore := testenv.HeldBPF(t, os.Getpid())
	prog := compile(t, badScript)
	corrupt(t, prog, "@zq = 42")
	sess, err := runtime.Load(prog, nil)
	if err == nil {
		sess.Close()
		t.Fatal("Load accepted a program that reads an uninitialised register")
	}
	checkRejection(t, err)
	_, fds := testenv.HeldBPF(t, os.Getpid())
	for fd := range fds {
		if !fdsBefore[fd] {
			t.Errorf("still open after the failed Load: %s", fd)
		}
	}
}

// TestVerify: Verify loads every program of a script with several
// providers (uprobes on a C binary that nothing runs), attaches nothing,
// reports each program's counts and closes everything.
func TestVerify(t *testing.T) {
	testenv.RequireBPF(t)
	cc := testenv.RequireTool(t, "cc")
	bin := filepath.Join(t.TempDir(), "target")
	src := bin + ".c"
	if err := os.WriteFile(src, []byte("int f(int x) { return x + 1; }\nint main(void) { return f(0) - 1; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(cc, "-O0", "-o", bin, src).CombinedOutput(); err != nil {
		t.Fatalf("cc: %v\n%s", err, out)
	}
	prog := compile(t, fmt.Sprintf(`BEGIN { @a = 1; }
interval:ms:10 { @b = count(); }
profile:hz:99 { @c[cpu] = count(); }
uprobe:%[1]s:f { @d = count(); }
uretprobe:%[1]s:f { printf("%%d\n", retval); }
END { print(@a); }`, bin))
	_, fdsBefore := testenv.HeldBPF(t, os.Getpid())
	res, err := runtime.Verify(prog)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range res {
		got = append(got, r.Name+" "+r.Provider)
		if r.Insns <= 0 || r.Processed <= 0 {
			t.Errorf("%s: %d instructions, %d processed", r.Name, r.Insns, r.Processed)
		}
	}
	want := []string{"p0_begin begin", "p1_interval interval", "p2_profile profile",
		"p3_uprobe uprobe", "p4_uretprobe uretprobe", "p5_end end"}
	if !slices.Equal(got, want) {
		t.Errorf("programs %q, want %q", got, want)
	}
	_, fds := testenv.HeldBPF(t, os.Getpid())
	for fd := range fds {
		if !fdsBefore[fd] {
			t.Errorf("still open after Verify: %s", fd)
		}
	}

	bad := compile(t, badScript)
	corrupt(t, bad, "@zq = 42")
	if _, err := runtime.Verify(bad); err == nil {
		t.Error("Verify accepted a program that reads an uninitialised register")
	} else {
		checkRejection(t, err)
	}
}

// TestRunOutputOption: Run without a writer writes to Options.Output.
func TestRunOutputOption(t *testing.T) {
	testenv.RequireBPF(t)
	var buf strings.Builder
	sess, err := runtime.Load(compile(t, `BEGIN { printf("hi\n"); exit(); }`), &runtime.Options{Output: &buf})
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if err := sess.Run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "Attaching 1 probe...\nhi\n\n\n"; got != want {
		t.Fatalf("Options.Output got %q, want %q", got, want)
	}
}
