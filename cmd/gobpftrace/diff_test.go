package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gobpftrace/gobpftrace/internal/testenv"
	"github.com/gobpftrace/gobpftrace/internal/txtar"
)

// The differential tests run each script of testdata/diff/*.txtar through
// gobpftrace and compare its standard output with what bpftrace printed for
// the same script. bpftrace's output is recorded in the archives (CASE.out)
// by `go test ./cmd/gobpftrace -run Differential -update`, so CI needs
// bpftrace only to refresh them. CASE.args holds extra command line
// options and CASE.params positional parameters (after the program);
// {target} stands for the uprobe target built from testdata/target.c,
// {tptarget} for the tracepoint target built from testdata/tp_target.c.

// targetPath is fixed so that probe names in the output are the same in
// every run and on every machine.
const targetPath = "/tmp/gobpftrace-difftest/target"

var buildTarget = sync.OnceValue(func() error {
	if err := os.MkdirAll(filepath.Dir(targetPath), 0o755); err != nil {
		return err
	}
	out, err := exec.Command("cc", "-O1", "-fno-omit-frame-pointer", "-o", targetPath, "testdata/target.c").CombinedOutput()
	if err != nil {
		return fmt.Errorf("cc: %v\n%s", err, out)
	}
	return nil
})

func TestDifferential(t *testing.T) {
	testenv.RequireBPF(t)
	files, _ := filepath.Glob("testdata/diff/*.txtar")
	if len(files) == 0 {
		t.Fatal("no differential cases in testdata/diff")
	}
	if err := buildTarget(); err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		a, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range a.Files {
			name, ok := strings.CutSuffix(f.Name, ".bt")
			if !ok {
				continue
			}
			script := substTpTarget(strings.ReplaceAll(strings.TrimSuffix(string(f.Data), "\n"), "{target}", targetPath))
			extra, _ := a.Get(name + ".args")
			params, _ := a.Get(name + ".params")
			args := append(strings.Fields(substTpTarget(strings.ReplaceAll(string(extra), "{target}", targetPath))), "-e", script)
			args = append(args, strings.Fields(string(params))...)
			if *txtar.Update {
				a.Set(name+".out", []byte(runBpftrace(t, args)))
				continue
			}
			t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar")+"/"+name, func(t *testing.T) {
				want, ok := a.Get(name + ".out")
				if !ok {
					t.Fatalf("no recorded bpftrace output (run with -update)")
				}
				var out, errOut strings.Builder
				if code := run(args, strings.NewReader(""), &out, &errOut); code != 0 {
					t.Fatalf("exit status %d\nstderr:\n%s", code, errOut.String())
				}
				if d := cmp.Diff(string(want), out.String()); d != "" {
					t.Errorf("script:\n%s\noutput differs from bpftrace's (-bpftrace +gobpftrace):\n%s\nstderr:\n%s", script, d, errOut.String())
				}
			})
		}
		if *txtar.Update {
			a.Comment = []byte("Differential cases; CASE.out recorded from " + bpftraceVersion(t) + " with -update.\n")
			if err := os.WriteFile(file, txtar.Format(a), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// runBpftrace runs the reference bpftrace and returns its standard output.
func runBpftrace(t *testing.T, args []string) string {
	t.Helper()
	bt := testenv.RequireBpftrace(t)
	cmd := exec.Command("timeout", append([]string{"20", bt}, args...)...)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("bpftrace %q: %v\n%s", args, err, errOut.String())
	}
	return out.String()
}

func bpftraceVersion(t *testing.T) string {
	out, err := exec.Command(testenv.RequireBpftrace(t), "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}
