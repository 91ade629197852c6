package main

import (
	"strings"
	"testing"

	"github.com/gobpftrace/gobpftrace/internal/testenv"
)

// TestBetterThanBpftrace pins behaviour where bpftrace 0.17 is wrong or
// racy and gobpftrace is deliberately exact.
func TestBetterThanBpftrace(t *testing.T) {
	testenv.RequireBPF(t)
	for _, c := range []struct {
		name, script, want string
	}{{
		// 0.17 can run the probe again between exit() and detaching
		// (seen: @i: 4 with a 10 ms interval). The exited flag makes
		// every later hit a no-op, so the count is exact even at 1 ms.
		name:   "nothing runs after exit",
		script: `interval:ms:1 { @i++; if (@i >= 3) { exit(); } }`,
		want:   "Attaching 1 probe...\n\n\n@i: 3\n",
	}, {
		// 0.17 aborts with a FATAL error on lowercase begin.
		name:   "lowercase begin",
		script: `begin { printf("hi\n"); exit(); }`,
		want:   "Attaching 1 probe...\nhi\n\n\n",
	}} {
		t.Run(c.name, func(t *testing.T) {
			for range 5 {
				var out, errOut strings.Builder
				if code := run([]string{"-e", c.script}, strings.NewReader(""), &out, &errOut); code != 0 {
					t.Fatalf("exit status %d: %s", code, errOut.String())
				}
				if out.String() != c.want {
					t.Fatalf("output %q, want %q", out.String(), c.want)
				}
			}
		})
	}
}
