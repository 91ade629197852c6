package runtime_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/gobpftrace/gobpftrace/internal/testenv"
)

const pieProg = `
#include <unistd.h>
__attribute__((noinline)) int work(int x) { return x * 2; }
int main(void) {
	int s = 0;
	for (int i = 0; i < 100; i++)
		s += work(i);
	usleep(200000);
	return s == 0;
}
`

// TestUserStackKeysAfterExit: a user stack used as a map key is printed at
// the end, after the traced PIE process has exited and its load address is
// gone. The session keeps the process's mappings while it runs, so the key
// is still symbolized (bpftrace 0.17 prints bare addresses here).
func TestUserStackKeysAfterExit(t *testing.T) {
	testenv.RequireBPF(t)
	cc := testenv.RequireTool(t, "cc")
	dir := t.TempDir()
	src := filepath.Join(dir, "pie.c")
	bin := filepath.Join(dir, "pie")
	if err := os.WriteFile(src, []byte(pieProg), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(cc, "-O1", "-fPIE", "-pie", "-fno-omit-frame-pointer", "-o", bin, src).CombinedOutput(); err != nil {
		t.Fatalf("cc: %v\n%s", err, out)
	}
	// Held before exec until the probe is attached, as the CLI's -c does.
	child := exec.Command("/bin/sh", "-c", `read -r _; exec "$0"`, bin)
	gate, err := child.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer child.Process.Kill()
	out := traceWhile(t, "uprobe:"+bin+":work { @[ustack(1)] = count(); }", child.Process.Pid, func() {
		gate.Write([]byte("\n"))
		if err := child.Wait(); err != nil {
			t.Errorf("target: %v", err)
		}
	})
	if !regexp.MustCompile(`(?m)^@\[\n    work\+0\n\]: 100$`).MatchString(out) {
		t.Errorf("the stack key is not symbolized after the process exited:\n%s", out)
	}
}
