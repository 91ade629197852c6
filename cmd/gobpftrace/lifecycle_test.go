package main

// Lifecycle tests of the CLI's run mode, on the built binary: SIGINT, -c
// and -p ending a run, --dry-run, --verify and the exit statuses. Each run
// proves that nothing it loaded stays loaded: once the probes are attached
// (the CLI says so on stderr when __BPFTRACE_NOTIFY_PROBES_ATTACHED is set)
// the test records the IDs of the BPF objects the CLI process's fds hold;
// after the CLI exits every one of them must be gone from the kernel. IDs,
// not a before/after list of gbt_ names, so that other test binaries
// loading gbt_ objects meanwhile do not disturb the check.

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cilium/ebpf/btf"
	"github.com/cilium/ebpf/link"

	"github.com/gobpftrace/gobpftrace/internal/testenv"
	"github.com/gobpftrace/gobpftrace/runtime"
)

// checkOurs fails unless objs has programs and maps, all of them gbt_
// objects that LoadedObjects lists (so that checkGone can fail).
func checkOurs(t testing.TB, objs map[string]bool) {
	t.Helper()
	loaded, err := runtime.LoadedObjects(runtime.NamePrefix)
	if err != nil {
		t.Fatal(err)
	}
	var progs, maps int
	for o := range objs {
		switch {
		case strings.HasPrefix(o, "prog:"):
			progs++
		case strings.HasPrefix(o, "map:"):
			maps++
		default:
			continue
		}
		if !slices.ContainsFunc(loaded, func(s string) bool { return strings.HasPrefix(s, o+":") }) {
			t.Errorf("%s is held but is not a loaded %s object", o, runtime.NamePrefix)
		}
	}
	if progs == 0 || maps == 0 {
		t.Errorf("while attached, the CLI holds %d programs and %d maps: %v", progs, maps, objs)
	}
}

// checkGone waits (up to 2 s) until none of objs is loaded any more.
func checkGone(t testing.TB, objs map[string]bool) {
	t.Helper()
	var left []string
	for range 200 {
		loaded, err := runtime.LoadedObjects(runtime.NamePrefix)
		if err != nil {
			t.Fatal(err)
		}
		left = left[:0]
		for o := range objs {
			kind, v, _ := strings.Cut(o, ":")
			id, _ := strconv.ParseUint(v, 10, 32)
			switch kind {
			case "prog", "map":
				if i := slices.IndexFunc(loaded, func(s string) bool { return strings.HasPrefix(s, o+":") }); i >= 0 {
					left = append(left, loaded[i])
				}
			case "link":
				if lk, err := link.NewFromID(link.ID(id)); err == nil {
					lk.Close()
					left = append(left, o)
				}
			case "btf":
				if h, err := btf.NewHandleFromID(btf.ID(id)); err == nil {
					h.Close()
					left = append(left, o)
				}
			}
		}
		if len(left) == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	slices.Sort(left)
	t.Errorf("still loaded after the CLI exited: %v", left)
}

// cliRun is one started CLI process.
type cliRun struct {
	cmd    *exec.Cmd
	stdout strings.Builder
	stderr strings.Builder
	objs   map[string]bool // what it held once attached
	errc   chan error      // the rest of stderr has been read
}

// startCLI starts the CLI with the attach notification on and waits until
// it reports its probes attached; then it records what the CLI holds
// (check it with checkOurs unless the CLI may already be exiting).
func startCLI(t *testing.T, bin string, args ...string) *cliRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	t.Cleanup(cancel)
	r := &cliRun{cmd: exec.CommandContext(ctx, bin, args...), errc: make(chan error, 1)}
	r.cmd.Env = append(os.Environ(), notifyEnv+"=1")
	r.cmd.Stdout = &r.stdout
	pipe, err := r.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(pipe)
	for sc.Scan() {
		if sc.Text() == notifyEnv {
			break
		}
		r.stderr.WriteString(sc.Text() + "\n")
	}
	if sc.Err() != nil || r.cmd.ProcessState != nil {
		t.Fatalf("no attach notification; stderr:\n%s", r.stderr.String())
	}
	r.objs, _ = testenv.HeldBPF(t, r.cmd.Process.Pid)
	go func() { // the rest of stderr
		for sc.Scan() {
			r.stderr.WriteString(sc.Text() + "\n")
		}
		r.errc <- sc.Err()
	}()
	return r
}

// wait waits for the CLI to exit and returns its exit status; then it
// checks that everything it held is gone.
func (r *cliRun) wait(t *testing.T) int {
	t.Helper()
	<-r.errc // stderr at EOF: Wait may close the pipe now
	err := r.cmd.Wait()
	if err != nil && r.cmd.ProcessState == nil {
		t.Fatal(err)
	}
	checkGone(t, r.objs)
	return r.cmd.ProcessState.ExitCode()
}

// runBin runs the CLI to the end and returns its exit status and output.
func runBin(t *testing.T, bin string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil && cmd.ProcessState == nil {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errOut.String()
}

func TestLifecycle(t *testing.T) {
	testenv.RequireBPF(t)
	if err := buildTarget(); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "gobpftrace")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	mapLine := regexp.MustCompile(`\n\n@n: [1-9][0-9]*\n$`)

	t.Run("SIGINT", func(t *testing.T) {
		r := startCLI(t, bin, "-e", "interval:ms:50 { @n = count(); }")
		checkOurs(t, r.objs)
		time.Sleep(120 * time.Millisecond)
		r.cmd.Process.Signal(syscall.SIGINT)
		if code := r.wait(t); code != 0 {
			t.Errorf("exit status %d after SIGINT; stderr:\n%s", code, r.stderr.String())
		}
		out := r.stdout.String()
		if !strings.HasPrefix(out, "Attaching 1 probe...\n") || !mapLine.MatchString(out) {
			t.Errorf("stdout %q", out)
		}
	})

	t.Run("command exits", func(t *testing.T) {
		// The target runs for a millisecond once released: the CLI may be
		// exiting before the sample (see "long command" for the check).
		r := startCLI(t, bin, "-c", targetPath, "-e", "uprobe:"+targetPath+":add { @ = count(); }")
		if code := r.wait(t); code != 0 {
			t.Errorf("exit status %d; stderr:\n%s", code, r.stderr.String())
		}
		if want := "Attaching 1 probe...\n\n\n@: 10\n"; r.stdout.String() != want {
			t.Errorf("stdout %q, want %q", r.stdout.String(), want)
		}
	})

	t.Run("long command", func(t *testing.T) {
		r := startCLI(t, bin, "-c", "sleep 0.3", "-e", "interval:ms:50 { @n = count(); }")
		checkOurs(t, r.objs)
		released := time.Now()
		code := r.wait(t)
		if took := time.Since(released); took > 2*time.Second {
			t.Errorf("the CLI ran for %v after starting a 0.3 s command", took)
		}
		if code != 0 {
			t.Errorf("exit status %d; stderr:\n%s", code, r.stderr.String())
		}
		if out := r.stdout.String(); !mapLine.MatchString(out) {
			t.Errorf("stdout %q", out)
		}
	})

	t.Run("PID exits", func(t *testing.T) {
		traced := exec.Command("sleep", "0.5")
		if err := traced.Start(); err != nil {
			t.Fatal(err)
		}
		started := time.Now()
		r := startCLI(t, bin, "-p", strconv.Itoa(traced.Process.Pid), "-e", "interval:ms:100 { @n = count(); }")
		checkOurs(t, r.objs)
		// The traced process is not reaped until the CLI is done: it
		// stays a zombie, which must count as exited (kill(pid, 0) would
		// still succeed on it).
		code := r.wait(t)
		traced.Wait()
		if took := time.Since(started); took > 2500*time.Millisecond {
			t.Errorf("the CLI ran %v; the traced process exited after 0.5 s", took)
		}
		if code != 0 {
			t.Errorf("exit status %d; stderr:\n%s", code, r.stderr.String())
		}
		if out := r.stdout.String(); !mapLine.MatchString(out) {
			t.Errorf("stdout %q", out)
		}
	})

	t.Run("dry run", func(t *testing.T) {
		// The CLI may be gone before the objects are sampled: the map's
		// unique name identifies them afterwards instead.
		r := startCLI(t, bin, "--dry-run", "-e", "BEGIN { printf(\"begun\\n\"); } interval:s:10 { @dryrunzq = count(); }")
		if code := r.wait(t); code != 0 {
			t.Errorf("exit status %d; stderr:\n%s", code, r.stderr.String())
		}
		var loaded []string
		for range 200 { // the kernel frees them after a grace period
			if loaded, _ = runtime.LoadedObjects(runtime.KernelName("AT_dryrunzq")); len(loaded) == 0 {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		if len(loaded) > 0 {
			t.Errorf("still loaded after --dry-run: %v", loaded)
		}
		if out := r.stdout.String(); !strings.HasPrefix(out, "Attaching 2 probes...\nbegun\n") {
			t.Errorf("stdout %q", out)
		}
	})

	t.Run("verify", func(t *testing.T) {
		// BEGIN would print if anything ran; the uprobes' target is
		// never run.
		code, out, errOut := runBin(t, bin, "--verify", "-e", `BEGIN { printf("begun\n"); @a = 1; }
interval:ms:10 { @b = count(); }
profile:hz:99 { @c[cpu] = count(); }
uprobe:`+targetPath+`:add { @d[arg0] = sum(arg1); }
uretprobe:`+targetPath+`:mul { printf("%d\n", retval); }
END { print(@a); }`)
		if code != 0 {
			t.Fatalf("exit status %d; stderr:\n%s", code, errOut)
		}
		line := regexp.MustCompile(`^(p\d+_\w+): (\w+), (\d+) instructions, (\d+) processed by the verifier`)
		var got []string
		for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			m := line.FindStringSubmatch(l)
			if m == nil {
				t.Errorf("line %q", l)
				continue
			}
			got = append(got, m[1]+" "+m[2])
			if n, _ := strconv.Atoi(m[4]); n == 0 {
				t.Errorf("%s: nothing processed", m[1])
			}
		}
		want := []string{"p0_begin begin", "p1_interval interval", "p2_profile profile",
			"p3_uprobe uprobe", "p4_uretprobe uretprobe", "p5_end end"}
		if !slices.Equal(got, want) {
			t.Errorf("programs %q, want %q\nstdout:\n%s", got, want, out)
		}
	})

	t.Run("exit status", func(t *testing.T) {
		for _, c := range []struct {
			name   string
			args   []string
			code   int
			stderr string
		}{
			{"syntax error", []string{"-e", "BEGIN { @x = ; }"}, 1, "stdin:1:"},
			{"unreadable file", []string{filepath.Join(t.TempDir(), "nosuch.bt")}, 255, "No such file or directory"},
			{"missing uprobe binary", []string{"-e", "uprobe:/nonexistent/bin:foo { @ = count(); }"}, 1,
				"uprobe target file '/nonexistent/bin' does not exist or is not executable"},
			{"missing uprobe function", []string{"-e", "uprobe:" + targetPath + ":nosuch { @ = count(); }"}, 1,
				"Could not resolve symbol: " + targetPath + ":nosuch"},
		} {
			code, out, errOut := runBin(t, bin, c.args...)
			if code != c.code || !strings.Contains(errOut, c.stderr) || out != "" {
				t.Errorf("%s: exit status %d (want %d)\nstdout %q\nstderr %q (want it to contain %q)",
					c.name, code, c.code, out, errOut, c.stderr)
			}
		}
	})
}
