package runtime

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"
)

// TracefsPath is where tracefs is (or gets) mounted.
const TracefsPath = "/sys/kernel/tracing"

var (
	tracefsOnce sync.Once
	tracefsErr  error
)

// EnsureTracefs mounts tracefs at TracefsPath unless it (or debugfs with
// its tracing directory) is already mounted. Tracepoints need it to find
// event ids. It must run before the first tracepoint attach: cilium/ebpf
// remembers where tracefs is the first time it looks.
func EnsureTracefs() error {
	tracefsOnce.Do(func() {
		var st unix.Statfs_t
		if unix.Statfs(TracefsPath, &st) == nil && st.Type == unix.TRACEFS_MAGIC {
			return
		}
		if unix.Statfs("/sys/kernel/debug/tracing", &st) == nil && st.Type == unix.TRACEFS_MAGIC {
			return
		}
		if err := unix.Mount("tracefs", TracefsPath, "tracefs", 0, ""); err != nil {
			tracefsErr = fmt.Errorf("mount tracefs at %s: %w", TracefsPath, err)
		}
	})
	return tracefsErr
}

// TracepointExists reports whether the kernel has tracepoint
// category:name.
func TracepointExists(category, name string) bool {
	if EnsureTracefs() != nil {
		return false
	}
	_, err := os.Stat(fmt.Sprintf("%s/events/%s/%s/id", TracefsPath, category, name))
	return err == nil
}

// attachTracepoint attaches a TracePoint program to category:name.
func attachTracepoint(t target, p Probe) ([]io.Closer, error) {
	prog := t.prog
	if p.Category == "" || p.Name == "" {
		return nil, errors.New("tracepoint needs a category and a name")
	}
	if err := EnsureTracefs(); err != nil {
		return nil, err
	}
	var opts *link.TracepointOptions
	if len(p.Cookies) > 0 {
		opts = &link.TracepointOptions{Cookie: p.Cookies[0]}
	}
	l, err := link.Tracepoint(p.Category, p.Name, prog, opts)
	if err != nil {
		return nil, err
	}
	return []io.Closer{l}, nil
}

// attachRawTracepoint attaches a RawTracepoint program to the raw
// tracepoint p.Name (e.g. "sched_switch"); it needs no tracefs.
func attachRawTracepoint(t target, p Probe) ([]io.Closer, error) {
	prog := t.prog
	if p.Name == "" {
		return nil, errors.New("rawtracepoint needs a name")
	}
	l, err := link.AttachRawTracepoint(link.RawTracepointOptions{Name: p.Name, Program: prog})
	if err != nil {
		return nil, err
	}
	return []io.Closer{l}, nil
}
