package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// tpTargetPath is the tracepoint cases' target, built from
// testdata/tp_target.c; {tptarget} stands for it in the cases.
const tpTargetPath = "/tmp/gobpftrace-difftest/tp_target"

var buildTpTarget = sync.OnceValue(func() error {
	if err := os.MkdirAll(filepath.Dir(tpTargetPath), 0o755); err != nil {
		return err
	}
	out, err := exec.Command("cc", "-O1", "-o", tpTargetPath, "testdata/tp_target.c").CombinedOutput()
	if err != nil {
		return fmt.Errorf("cc: %v\n%s", err, out)
	}
	return nil
})

// substTpTarget replaces {tptarget} in s, building the target when s uses it.
func substTpTarget(s string) string {
	if !strings.Contains(s, "{tptarget}") {
		return s
	}
	if err := buildTpTarget(); err != nil {
		panic(err) // test helper only: a missing C compiler fails the run loudly
	}
	return strings.ReplaceAll(s, "{tptarget}", tpTargetPath)
}
