package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/gobpftrace/gobpftrace"
	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/runtime"
)

// notifyEnv is the environment variable with which test drivers ask to be
// told, on stderr, once every probe is attached (as bpftrace does).
const notifyEnv = "__BPFTRACE_NOTIFY_PROBES_ATTACHED"

// execute compiles and runs a script, or prints a compiler stage.
func execute(o *options, filename, src string, stdout, stderr io.Writer) int {
	var child *gatedChild
	if o.cmd != "" {
		var err error
		if child, err = startGated(o.cmd); err != nil {
			fmt.Fprintf(stderr, "ERROR: failed to run command '%s': %v\n", o.cmd, err)
			return 1
		}
		defer child.kill()
		o.pid = child.pid()
	}
	prog, err := gobpftrace.Compile(filename, src, &gobpftrace.CompileOptions{PID: o.pid, Params: o.params})
	if err != nil {
		ast.PrintError(stderr, src, err)
		return 1
	}
	if prog.Info != nil {
		ast.PrintError(stderr, src, prog.Info.Warnings)
	}
	switch o.debug {
	case "types":
		fmt.Fprint(stdout, describeTypes(prog))
		return 0
	case "codegen":
		fmt.Fprint(stdout, listing(prog))
		return 0
	}
	if o.verify {
		// Load only: no ring buffer reader, no session, nothing attached.
		results, err := runtime.Verify(prog)
		if err != nil {
			fmt.Fprintf(stderr, "ERROR: %v\n", err)
			return 1
		}
		fmt.Fprint(stdout, verifySummary(results))
		return 0
	}

	out := stdout
	if o.out != "" {
		f, err := os.Create(o.out)
		if err != nil {
			fmt.Fprintf(stderr, "ERROR: failed to open output file: %v\n", err)
			return 1
		}
		defer f.Close()
		out = f
	}
	if o.buffering == "full" {
		bw := bufio.NewWriter(out)
		defer bw.Flush()
		out = bw
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sess, err := runtime.Load(prog, &runtime.Options{
		PID:   o.pid,
		JSON:  o.format == "json",
		Quiet: o.quiet,
		OnAttached: func() {
			if os.Getenv(notifyEnv) != "" {
				fmt.Fprintln(stderr, notifyEnv)
			}
			if child != nil {
				child.release()
				go func() { child.wait(); cancel() }()
			} else if o.pid > 0 {
				go watchPID(ctx, o.pid, cancel)
			}
			if o.dryRun {
				cancel()
			}
		},
	})
	if err != nil {
		fmt.Fprintf(stderr, "ERROR: %v\n", err)
		return 1
	}
	defer sess.Close()
	if err := sess.Run(ctx, out); err != nil {
		fmt.Fprintf(stderr, "ERROR: %v\n", err)
		return 1
	}
	return 0
}

// watchPID cancels the run when the traced process exits. A pidfd becomes
// readable when the process exits, zombie or not (kill(pid, 0) still
// succeeds on a zombie that its parent has not reaped).
func watchPID(ctx context.Context, pid int, cancel func()) {
	fd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		if err == unix.ESRCH {
			cancel()
		}
		return
	}
	defer unix.Close(fd)
	for ctx.Err() == nil {
		n, err := unix.Poll([]unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}, 100)
		if n > 0 || (err != nil && err != unix.EINTR) {
			cancel()
			return
		}
	}
}

// gatedChild is a -c command started but held before exec until the probes
// are attached, so its pid is known in advance and nothing it does is
// missed: a shell waits on a pipe, then execs the command in place.
type gatedChild struct {
	cmd  *exec.Cmd
	gate *os.File
	done chan struct{}
}

func startGated(command string) (*gatedChild, error) {
	args := strings.Fields(command)
	if len(args) == 0 {
		return nil, fmt.Errorf("empty command")
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("/bin/sh", append([]string{"-c", `read -r _ <&3; exec "$@"`, "sh"}, args...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.ExtraFiles = []*os.File{r}
	if err := cmd.Start(); err != nil {
		r.Close()
		w.Close()
		return nil, err
	}
	r.Close()
	return &gatedChild{cmd: cmd, gate: w, done: make(chan struct{})}, nil
}

func (c *gatedChild) pid() int { return c.cmd.Process.Pid }

// release lets the command exec.
func (c *gatedChild) release() {
	c.gate.Write([]byte("\n"))
	c.gate.Close()
}

func (c *gatedChild) wait() {
	c.cmd.Wait()
	close(c.done)
}

// kill ends a command that is still running when the run ends.
func (c *gatedChild) kill() {
	c.gate.Close()
	select {
	case <-c.done:
	default:
		c.cmd.Process.Kill()
	}
}
