package output

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gobpftrace/gobpftrace/internal/testenv"
	"github.com/gobpftrace/gobpftrace/internal/txtar"
)

// The differential tests compare our rendering with bpftrace 0.17's output
// for the same values. bpftrace's output is cached in testdata/*.txtar; run
// `go test ./output -update` as root with bpftrace installed to refresh it.

// runBpftrace runs a program and returns its stdout without the
// "Attaching" line, and the message of its first ERROR line, if any.
func runBpftrace(t *testing.T, script string, json bool) (string, string) {
	t.Helper()
	bin := testenv.RequireBpftrace(t)
	args := []string{"-e", script}
	if json {
		args = []string{"-f", "json", "-e", script}
	}
	cmd := exec.Command("timeout", append([]string{"10", bin}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	_ = cmd.Run() // failures show as ERROR lines or a missing Attaching line
	for _, line := range strings.Split(errb.String(), "\n") {
		if _, msg, ok := strings.Cut(line, "ERROR: "); ok && !strings.Contains(line, "RLIMIT_MEMLOCK") {
			return "", msg
		}
	}
	s := out.String()
	first, rest, _ := strings.Cut(s, "\n")
	if !strings.HasPrefix(first, "Attaching ") && !strings.Contains(first, `"attached_probes"`) {
		t.Fatalf("bpftrace %q: unexpected output %q, stderr %q", script, s, errb.String())
	}
	return rest, ""
}

func bpftraceVersion(t *testing.T) string {
	out, err := exec.Command(testenv.RequireBpftrace(t), "--version").Output()
	if err != nil {
		t.Fatalf("bpftrace --version: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// golden opens a cached archive; with -update, record fills it by running
// bpftrace and the archive is written back when the test ends.
func golden(t *testing.T, file string) *txtar.Archive {
	path := filepath.Join("testdata", file)
	if *txtar.Update {
		a := &txtar.Archive{Comment: []byte("Recorded with " + bpftraceVersion(t) +
			" by `go test ./output -update`; do not edit.\n")}
		t.Cleanup(func() {
			if err := os.WriteFile(path, txtar.Format(a), 0o644); err != nil {
				t.Errorf("writing %s: %v", path, err)
			}
		})
		return a
	}
	a, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./output -update)", err)
	}
	if !bytes.Contains(a.Comment, []byte("bpftrace v0.17.0")) {
		t.Fatalf("%s was not recorded with bpftrace v0.17.0: %q", path, a.Comment)
	}
	return a
}

// expect returns the cached file name of case, checking that the cached
// program is the case's program; with -update it records it first.
func expect(t *testing.T, a *txtar.Archive, name, script string, record func() string) string {
	t.Helper()
	if *txtar.Update {
		a.Set(name+".bt", []byte(script+"\n"))
		a.Set(name, []byte(record()))
	}
	got, ok := a.Get(name + ".bt")
	if !ok || strings.TrimSuffix(string(got), "\n") != script {
		t.Fatalf("cached program for %s is stale or missing (run go test ./output -update)", name)
	}
	data, _ := a.Get(name)
	return string(data)
}

// txtar adds a final newline to files that lack one, so a cached output is
// stored with its exact end marked by "<EOF>\n".
func seal(s string) string   { return s + "<EOF>\n" }
func unseal(s string) string { return strings.TrimSuffix(s, "<EOF>\n") }

func TestPrintfMatchesBpftrace(t *testing.T) {
	a := golden(t, "printf.txtar")
	for _, c := range printfCases {
		t.Run(c.name, func(t *testing.T) {
			want := unseal(expect(t, a, c.name, c.script(), func() string {
				out, msg := runBpftrace(t, c.script(), false)
				if msg != "" {
					return seal("ERROR: " + msg)
				}
				return seal(strings.TrimSuffix(out, "\n\n"))
			}))
			f, err := ParseFormat(c.goFormat())
			if err != nil {
				t.Fatal(err)
			}
			vals, kinds := c.values()
			err = f.Check(kinds)
			if msg, isErr := strings.CutPrefix(want, "ERROR: "); isErr {
				if err == nil || err.Error() != msg {
					t.Fatalf("Check = %v, bpftrace says %q", err, msg)
				}
				return
			}
			if err != nil {
				t.Fatalf("Check = %v, bpftrace accepts the call", err)
			}
			if got := string(f.Append(nil, vals)); got != want {
				t.Errorf("format %q\n got %q\nwant %q", c.fmt, got, want)
			}
		})
	}
}

func TestMapsMatchBpftrace(t *testing.T) {
	a := golden(t, "maps.txtar")
	for _, c := range mapCases {
		for _, json := range []bool{false, true} {
			name := c.name
			if json {
				name += ".json"
			}
			t.Run(name, func(t *testing.T) {
				want := unseal(expect(t, a, name, c.script(), func() string {
					out, msg := runBpftrace(t, c.script(), json)
					if msg != "" {
						t.Fatalf("bpftrace rejects %s: %s", c.script(), msg)
					}
					return seal(out)
				}))
				var got bytes.Buffer
				if c.print != nil {
					got.Write(c.print(json))
				}
				if err := WriteExit(&got, c.maps(), json); err != nil {
					t.Fatal(err)
				}
				if got.String() != want {
					t.Errorf("got:\n%s\nwant:\n%s", got.String(), want)
				}
			})
		}
	}
}
