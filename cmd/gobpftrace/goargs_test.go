package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gobpftrace/gobpftrace/internal/testenv"
)

// buildGoTarget builds testdata/goargs (a Go program whose functions take
// many kinds of arguments) into a temporary directory, with extra flags.
func buildGoTarget(t *testing.T, flags ...string) string {
	t.Helper()
	dir := t.TempDir()
	src, err := os.ReadFile("testdata/goargs/main.go.txt")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "main.go"), src, 0o644)
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module ga\ngo 1.26\n"), 0o644)
	bin := filepath.Join(dir, "ga")
	cmd := exec.Command("go", append(append([]string{"build", "-o", bin}, flags...), ".")...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestGoArgs reads arguments of many signatures by name; the values are
// those testdata/goargs passes.
func TestGoArgs(t *testing.T) {
	testenv.RequireBPF(t)
	bin := buildGoTarget(t)
	u := "uprobe:" + bin + ":"
	script := u + `main.Ints { printf("%d %d %d %lld %d %d %u %llu %d\n", args.a, args.b, args.c, args.d, args.e, args.f, args.g, args.h, args.ok); }
` + u + `main.Str { printf("[%s] [%s] %d\n", args.s, str(args.s), args.s.len); }
` + u + `main.IsValid { printf("units:%d nanos:%d currency:%s\n", args.m.Units, args.m.Nanos, str(args.m.CurrencyCode)); }
` + u + `main.Ptr { printf("%d %s %d %d\n", args.p.A, args.p->B, args.p.C, args.p->A); }
` + u + `main.Slice { printf("%d %d %d %d %d\n", args.sl.len, args.sl.cap, args.sl[0], args.sl[1], args.sl[2]); }
` + u + `"main.(*T).Method" { printf("%d %d %s\n", args.t.A, args.x, args.t.B); }
` + u + `main.Many { printf("%d %d %d %s\n", args.a, args.i, args.m.Units, args.m.CurrencyCode); }
`
	code, out, errOut := runCLI(t, "", "-c", bin, "-e", script)
	want := `-5 -300 -70000 -1099511627776 200 65000 4000000000 9223372036854775813 1
[hello, world] [hello, world] 12
units:12 nanos:-3 currency:EUR
-7 bee 9 -7
3 4 10 20 30
-7 4 bee
1 9 99 USD
`
	if code != 0 || !strings.Contains(out, want) {
		t.Fatalf("code %d\nstdout:\n%s\nstderr:\n%s\nwant:\n%s", code, out, errOut, want)
	}
}

// TestGoid checks that goid is each goroutine's own id, as the program
// reads it from runtime.Stack, and the goid-keyed latency idiom.
func TestGoid(t *testing.T) {
	testenv.RequireBPF(t)
	bin := buildGoTarget(t)
	u := "uprobe:" + bin + ":main.Work"
	script := u + ` { printf("traced %d %d\n", args.n, goid); @start[goid] = nsecs; }
uretprobe:` + bin + `:main.Work /@start[goid]/ { @lat = sum(nsecs - @start[goid]); @n = count(); delete(@start[goid]); }`
	report := filepath.Join(t.TempDir(), "goids")
	code, out, errOut := runCLI(t, "", "-c", bin+" goid "+report, "-e", script)
	if code != 0 {
		t.Fatalf("code %d\n%s\n%s", code, out, errOut)
	}
	rep, _ := os.ReadFile(report)
	self := regexp.MustCompile(`(?m)^goid (\d) (\d+)$`).FindAllStringSubmatch(string(rep), -1)
	traced := regexp.MustCompile(`(?m)^traced (\d) (\d+)$`).FindAllStringSubmatch(out, -1)
	if len(traced) != 3 {
		t.Fatalf("traced %d calls, want 3:\n%s", len(traced), out)
	}
	ids := map[string]string{}
	for _, m := range traced {
		ids[m[1]] = m[2]
	}
	if len(ids) != 3 || ids["0"] == ids["1"] || ids["1"] == ids["2"] || ids["0"] == ids["2"] {
		t.Errorf("goids not distinct: %v", ids)
	}
	if len(self) != 3 {
		t.Errorf("the program reported %d goids, want 3: %q", len(self), rep)
	}
	{
		for _, m := range self {
			if ids[m[1]] != m[2] {
				t.Errorf("goroutine %s: traced goid %s, the program says %s", m[1], ids[m[1]], m[2])
			}
		}
	}
	if !regexp.MustCompile(`(?m)^@lat: [1-9]\d*$`).MatchString(out) || !strings.Contains(out, "@n: 3\n") {
		t.Errorf("latency maps missing:\n%s", out)
	}
}

// TestGoArgsStripped: a binary without DWARF gets a clear error.
func TestGoArgsStripped(t *testing.T) {
	bin := buildGoTarget(t, "-ldflags=-w")
	code, _, errOut := runCLI(t, "", "-d", "types", "-e", "uprobe:"+bin+":main.Str { printf(\"%s\\n\", args.s); }")
	if code != 1 || !strings.Contains(errOut, "has no DWARF debug info (was it built with -ldflags=-w?)") || !strings.Contains(errOut, "reg(") {
		t.Errorf("code %d, stderr:\n%s", code, errOut)
	}
}

// TestListGoArgs: -lv lists a Go function's parameters, then its results
// (unnamed ones as DWARF's ~r0, ~r1) on lines starting with "ret"; -l
// matches.
func TestListGoArgs(t *testing.T) {
	bin := buildGoTarget(t)
	for _, c := range []struct{ probe, want string }{
		{"uprobe:" + bin + ":main.IsValid", "    main.Money m\n    ret bool ~r0\n"},
		{"uprobe:" + bin + ":main.Parse", "    string s\n    ret int n\n    ret error err\n"},
		{"uretprobe:" + bin + ":main.Parse", "    string s\n    ret int n\n    ret error err\n"},
		{"uprobe:" + bin + ":main.main", ""},
	} {
		code, out, errOut := runCLI(t, "", "-lv", c.probe)
		if want := c.probe + "\n" + c.want; code != 0 || out != want {
			t.Errorf("-lv: code %d\n%s%s\nwant:\n%s", code, out, errOut, want)
		}
	}
	code, out, _ := runCLI(t, "", "-l", "-v", "uprobe:"+bin+":main.*")
	for _, w := range []string{"main.Ints\n    int8 a\n    int16 b\n", "    *main.T p\n", "    []int sl\n", "    string s\n", "main.(*T).Method\n    *main.T t\n    int x\n    ret int ~r0\n"} {
		if code != 0 || !strings.Contains(out, w) {
			t.Errorf("-l -v lacks %q:\n%s", w, out)
		}
	}
	code, out, _ = runCLI(t, "", "-l", "uprobe:"+bin+":main.I*")
	if code != 0 || out != "uprobe:"+bin+":main.Ints\nuprobe:"+bin+":main.IsValid\n" {
		t.Errorf("-l: code %d\n%s", code, out)
	}
}
