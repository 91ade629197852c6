package types

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gobpftrace/gobpftrace/symtab"
)

// tracefsDirs are where tracefs's events directory may be, in order.
var tracefsDirs = []string{"/sys/kernel/tracing/events", "/sys/kernel/debug/tracing/events"}

// tracefsEvents returns the events directory of a mounted tracefs.
func tracefsEvents() (string, error) {
	for _, d := range tracefsDirs {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d, nil
		}
	}
	return "", errors.New("tracefs is not mounted: mount it with `mount -t tracefs nodev /sys/kernel/tracing`")
}

// TracepointFormat implements Env: it reads tracefs's format file.
func (e *HostEnv) TracepointFormat(category, name string) (*TracepointFormat, error) {
	dir, err := tracefsEvents()
	if err != nil {
		return nil, err
	}
	text, err := os.ReadFile(filepath.Join(dir, category, name, "format"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("tracepoint not found: %s:%s", category, name)
	}
	if err != nil {
		return nil, err
	}
	return ParseTracepointFormat(category, name, string(text))
}

// Tracepoints implements Env: it lists tracefs's event directories.
func (e *HostEnv) Tracepoints(pattern string) ([]string, error) {
	dir, err := tracefsEvents()
	if err != nil {
		return nil, err
	}
	cats, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var all []string
	for _, c := range cats {
		if !c.IsDir() {
			continue
		}
		if cp, _, _ := strings.Cut(pattern, ":"); !symtab.Match(cp, c.Name()) {
			continue
		}
		evs, err := os.ReadDir(filepath.Join(dir, c.Name()))
		if err != nil {
			continue
		}
		for _, ev := range evs {
			if ev.IsDir() {
				all = append(all, c.Name()+":"+ev.Name())
			}
		}
	}
	return matchTracepoints(all, pattern), nil
}

// TracepointFormat implements Env.
func (e *MapEnv) TracepointFormat(category, name string) (*TracepointFormat, error) {
	if f, ok := e.TpFormats[category+":"+name]; ok {
		return f, nil
	}
	return nil, fmt.Errorf("tracepoint not found: %s:%s", category, name)
}

// Tracepoints implements Env.
func (e *MapEnv) Tracepoints(pattern string) ([]string, error) {
	all := make([]string, 0, len(e.TpFormats))
	for k := range e.TpFormats {
		all = append(all, k)
	}
	sort.Strings(all)
	return matchTracepoints(all, pattern), nil
}
