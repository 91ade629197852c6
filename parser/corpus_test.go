package parser

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gobpftrace/gobpftrace/internal/testenv"
	"github.com/gobpftrace/gobpftrace/internal/txtar"
)

func classicTools(tb testing.TB) map[string]string {
	out := map[string]string{}
	for _, f := range testenv.ClassicTools(tb) {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		out[f] = string(b)
	}
	return out
}

func TestClassicTools(t *testing.T) {
	for name, src := range classicTools(t) {
		t.Run(filepath.Base(name), func(t *testing.T) { parseOK(t, src) })
	}
}

func TestCorpusScripts(t *testing.T) {
	files, _ := filepath.Glob("testdata/scripts/*.bt")
	if len(files) == 0 {
		t.Fatal("no corpus scripts in testdata/scripts")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(f), func(t *testing.T) { parseOK(t, string(b)) })
	}
}

func BenchmarkParse(b *testing.B) {
	tools := classicTools(b)
	var srcs []string
	for _, s := range tools {
		srcs = append(srcs, s)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Parse("bench.bt", srcs[i%len(srcs)]); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzParse asserts that any input gives a program or a well-formed error
// list, never a panic.
func FuzzParse(f *testing.F) {
	seeds := []string{"", "BEGIN { }", `BEGIN { printf("%d\n", 1 +); }`, "{{{{", "\"", "/*", "#!x\n"}
	for _, root := range []string{"..", "/usr/sbin"} {
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".bt") {
				if b, err := os.ReadFile(path); err == nil {
					seeds = append(seeds, string(b))
				}
			}
			return nil
		})
	}
	archives, _ := filepath.Glob("testdata/errors/*.txtar")
	for _, path := range archives {
		a, err := txtar.ParseFile(path)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range a.Files {
			if strings.HasSuffix(file.Name, ".bt") {
				seeds = append(seeds, string(file.Data))
			}
		}
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		checkInvariants(t, src)
	})
}
