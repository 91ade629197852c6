package types

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestErrors checks the exact diagnostics (errors and warnings, printed
// with ast.PrintError) of every script in testdata/errors.txt. The file
// was recorded with bpftrace v0.17.0; cases where gobpftrace deliberately
// differs carry a `# differs:` line saying why.
func TestErrors(t *testing.T) {
	data, err := os.ReadFile("testdata/errors.txt")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, block := range strings.Split(string(data), "=== ")[1:] {
		src, want, _ := strings.Cut(block, "\n")
		var lines []string
		for _, l := range strings.SplitAfter(want, "\n") {
			if !strings.HasPrefix(l, "# ") {
				lines = append(lines, l)
			}
		}
		want = strings.Join(lines, "")
		n++
		t.Run(src, func(t *testing.T) {
			_, errs, warns := check(t, src, nil)
			got := sortDiagnostics(warns + errs)
			if d := cmp.Diff(sortDiagnostics(want), got); d != "" {
				t.Errorf("%s\n(-want +got):\n%s", src, d)
			}
		})
	}
	if n < 30 {
		t.Fatalf("only %d cases", n)
	}
}

// sortDiagnostics puts the three-line diagnostics of out in a canonical
// order: bpftrace prints them in the order it found them, we by position.
func sortDiagnostics(out string) string {
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	var blocks []string
	for i := 0; i < len(lines); {
		j := i + 1
		for j < len(lines) && !strings.HasPrefix(lines[j], "stdin:") {
			j++
		}
		blocks = append(blocks, strings.Join(lines[i:j], "\n"))
		i = j
	}
	for i := 1; i < len(blocks); i++ {
		for j := i; j > 0 && blocks[j] < blocks[j-1]; j-- {
			blocks[j], blocks[j-1] = blocks[j-1], blocks[j]
		}
	}
	return strings.Join(blocks, "\n")
}
