package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut strings.Builder
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestFmt(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "x.bt")
	os.WriteFile(file, []byte("BEGIN{printf(\"hi\\n\");exit()}"), 0o644)
	want := "BEGIN\n{\n  printf(\"hi\\n\");\n  exit();\n}\n"
	for _, args := range [][]string{{"--fmt", file}, {"--fmt", "-e", "BEGIN{printf(\"hi\\n\");exit()}"}, {"--fmt", "-"}} {
		code, out, errOut := runCLI(t, "BEGIN{printf(\"hi\\n\");exit()}", args...)
		if code != 0 || out != want || errOut != "" {
			t.Errorf("%q: code %d\nstdout %q\nstderr %q\nwant stdout %q", args, code, out, errOut, want)
		}
	}
}

func TestDumpAST(t *testing.T) {
	code, out, _ := runCLI(t, "", "-d", "ast", "-e", "BEGIN { @x = 1; }")
	want := "program \"stdin\"\n  probe\n    attach begin (BEGIN) \"BEGIN\" parts=[]\n    block\n      assign =\n        map @x\n        int 1\n"
	if code != 0 || out != want {
		t.Fatalf("code %d, dump:\n%s\nwant:\n%s", code, out, want)
	}
	code, _, errOut := runCLI(t, "", "-d", "nosuch", "-e", "BEGIN { }")
	if code != 1 || !strings.Contains(errOut, "invalid debug stage") {
		t.Fatalf("bad stage: code %d stderr %q", code, errOut)
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{{
		name: "syntax error",
		args: []string{"--fmt", "-e", `BEGIN { printf("%d\n", 1 +); }`},
		code: 1,
		stderr: "stdin:1:26-28: ERROR: syntax error, unexpected )\n" +
			"BEGIN { printf(\"%d\\n\", 1 +); }\n" +
			"                         ~~\n",
	}, {
		name:   "missing file",
		args:   []string{"--fmt", "/nonexistent/x.bt"},
		code:   255,
		stderr: "ERROR: failed to open file '/nonexistent/x.bt': No such file or directory\n",
	}, {
		name:   "no program",
		args:   []string{"--fmt"},
		code:   1,
		stderr: "ERROR: USAGE: filename or -e 'program' required.\n",
	}, {
		name: "unknown flag",
		args: []string{"--nosuch"},
		code: 1,
	}} {
		t.Run(c.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, "", c.args...)
			if code != c.code {
				t.Errorf("exit code %d, want %d (stderr %q)", code, c.code, errOut)
			}
			if c.stderr != "" && errOut != c.stderr {
				t.Errorf("stderr:\n%s\nwant:\n%s", errOut, c.stderr)
			}
		})
	}
}

func TestHelpAndVersion(t *testing.T) {
	if code, out, _ := runCLI(t, "", "-h"); code != 0 || !strings.HasPrefix(out, "USAGE:") {
		t.Errorf("-h: code %d out %q", code, out)
	}
	if code, out, _ := runCLI(t, "", "-V"); code != 0 || !strings.HasPrefix(out, "gobpftrace v") {
		t.Errorf("-V: code %d out %q", code, out)
	}
}
