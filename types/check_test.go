package types

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/symtab"
	"github.com/google/go-cmp/cmp"
)

// exprTypes returns "source-text: type" for the expressions of src whose
// text is in want, using the spans to cut the text.
func exprTypes(info *Info, src string) map[string]string {
	out := map[string]string{}
	for e, t := range info.Types {
		r := e.Range()
		if r.Start.Offset < r.End.Offset && r.End.Offset <= len(src) {
			out[src[r.Start.Offset:r.End.Offset]] = t.String()
		}
	}
	return out
}

func TestExprTypes(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want map[string]string // expression text -> type
	}{
		{`BEGIN { $a = 1; $b = "abc"; $c = (1, "ab"); }`, map[string]string{
			"$a": "int64", `$b`: "string[4]", `(1, "ab")`: "(int64,string[3])"}},
		{`BEGIN { $x = (uint8)1; $y = $x + 1; $z = (uint32)2 * (uint32)3; }`, map[string]string{
			"(uint8)1": "unsigned int8", "$x + 1": "unsigned int64", "(uint32)2 * (uint32)3": "unsigned int64"}},
		{`BEGIN { @a = 1 == 2; @b = (uint8)1 < 2; @c = "a" == "b"; @d = !1; @e = -(uint16)3; }`, map[string]string{
			"1 == 2": "int64", "(uint8)1 < 2": "unsigned int64", `"a" == "b"`: "unsigned int64",
			"!1": "unsigned int64", "-(uint16)3": "unsigned int64"}},
		{`BEGIN { @s = 1 << 2; @u = (uint8)1 >> 1; @t = 1 ? 2 : 3; @v = 1 ? "a" : "bcd"; }`, map[string]string{
			"1 << 2": "int64", "(uint8)1 >> 1": "unsigned int64", "1 ? 2 : 3": "int64", `1 ? "a" : "bcd"`: "string[4]"}},
		{`BEGIN { @c = comm; @p = pid; @n = nsecs; @k = kstack; @pr = probe; @m = 18446744073709551615; }`, map[string]string{
			"comm": "string[16]", "pid": "unsigned int64", "nsecs": "unsigned int64", "kstack": "kstack",
			"probe": "probe", "18446744073709551615": "unsigned int64"}},
		{`uprobe:/bin/bash:readline { @f = func; @a = arg0; @r = reg("sp"); @s = str(arg0); @st = str(arg1, 8); @t = curtask; }`, map[string]string{
			"func": "usym", "arg0": "unsigned int64", `reg("sp")`: "unsigned int64", "str(arg0)": "string[64]",
			"curtask": "struct task_struct *"}},
		{`uretprobe:/bin/bash:readline { @r = retval; $p = (int32 *)retval; @d = *$p; @q = $p + 1; }`, map[string]string{
			"retval": "unsigned int64", "(int32 *)retval": "int32 *", "*$p": "int32", "$p + 1": "int32 *"}},
		{`BEGIN { if (1) { $a = "x"; } $a = "long string"; print($a); @x[1, "ab"] = count(); @y = sum(-1); }`, map[string]string{
			"$a": "string[12]", "count()": "count", "sum(-1)": "sum"}},
		{`BEGIN { $t = (1, (int8)2, "a"); @e = $t.1; @u = ustack(perf, 5); @bytes = (uint8[8])1; }`, map[string]string{
			"$t.1": "int8", "$t": "(int64,int8,string[2])", "ustack(perf, 5)": "ustack", "(uint8[8])1": "unsigned int8[8]"}},
	} {
		info, errs, _ := check(t, tc.src, nil)
		if errs != "" {
			t.Errorf("%s: unexpected errors:\n%s", tc.src, errs)
			continue
		}
		got := exprTypes(info, tc.src)
		for text, want := range tc.want {
			if got[text] != want {
				t.Errorf("%s: type of %s = %q, want %q", tc.src, text, got[text], want)
			}
		}
	}
}

// TestOurErrors covers diagnostics bpftrace 0.17 does not give (it
// crashes, attaches and fails later, or accepts the script).
func TestOurErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{`uretprobe:./frontend:main.main { exit(); }`,
			"stdin:1:1-31: ERROR: cannot place return probes in ./frontend: main.main: no RET instruction: it never returns or ends in a tail call"},
		{`ur:./frontend:0x49e141 { exit(); }`,
			"stdin:1:1-23: ERROR: uretprobe on Go binary ./frontend: address 0x49e141 is not the start of a function"},
		{`ur:./frontend:main.mai* { exit(); }`,
			"stdin:1:1-24: ERROR: cannot place return probes in ./frontend: main.main: no RET instruction: it never returns or ends in a tail call"},
		{`uprobe:./frontend:nope* { exit(); }`, "stdin:1:1-24: ERROR: no function in ./frontend matches 'nope*'"},
		{`uprobe:/bin/bash:nosuchsym { exit(); }`, "stdin:1:1-27: ERROR: Could not resolve symbol: /bin/bash:nosuchsym"},
		{`uprobe:/bin/bash:readline+x { exit(); }`, "stdin:1:1-28: ERROR: Invalid offset: 'x'"},
		{`uprobe:/bin/bash:readline+0x400 { exit(); }`, "stdin:1:1-32: ERROR: Offset outside the function bounds ('readline' size is 512)"},
		{`kretprobe:vfs_read+4 { exit(); }`, "stdin:1:1-21: ERROR: Offset not allowed"},
		{`interval:s:a { exit(); }`, "stdin:1:1-13: ERROR: interval probe must have an integer frequency"},
		{`interval:0 { exit(); }`, "stdin:1:1-11: ERROR: interval frequency should be a positive integer"},
		{`uprobe:"main.IsValid" { exit(); }`, "stdin:1:1-22: ERROR: uprobe probe type requires 2 arguments"},
		{`BEGIN { if ("a") { exit(); } }`, "stdin:1:12-16: ERROR: Invalid condition in if(): string"},
		{`BEGIN { @x = 1; @ = @x[1]; }`, "stdin:1:21-26: ERROR: Argument mismatch for @x: trying to access with arguments: [unsigned int64] when map expects arguments: []"},
		{`BEGIN { $x = 1; $x = (1, 2); }`, "stdin:1:20-21: ERROR: Type mismatch for $x: trying to assign value of type '(int64,int64)' when variable already contains a value of type 'int64'"},
		{`BEGIN { @ = sizeof(int64); @b = typeinfo(1); }`, "stdin:1:33-44: ERROR: this expression is not supported yet"},
		{`BEGIN { @ = buf(1, 2); }`, "stdin:1:13-16: ERROR: buf() is not supported yet"},
		{`BEGIN { $x = 1; $x += "a"; }`, `stdin:1:17-26: ERROR: Type mismatch for '+': comparing 'int64' with 'string[2]'`},
	} {
		_, errs, _ := check(t, tc.src, nil)
		first, _, _ := strings.Cut(errs, "\n")
		if first != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.src, errs, tc.want)
		}
	}
}

// TestIncident is the script of the incident demo: it must check cleanly
// against a Go binary that has main.IsValid.
func TestIncident(t *testing.T) {
	src := `uprobe:./frontend:"main.IsValid" { $units = reg("ax"); $nanos = (int32)reg("bx"); printf("time_:%lld units:%d nanos:%d stack:%s\n", nsecs, $units, (int64)$nanos, ustack()); }`
	info, errs, warns := check(t, src, nil)
	if errs != "" || warns != "" {
		t.Fatalf("errors:\n%s%s", errs, warns)
	}
	p := info.Probes[0]
	want := []*Target{{Provider: "uprobe", Name: "uprobe:./frontend:main.IsValid", Binary: "./frontend", IsGo: true, Symbol: "main.IsValid", Address: 0x49e140}}
	if d := cmp.Diff(want, p.Targets, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".AttachPoint" }, cmp.Ignore())); d != "" {
		t.Errorf("targets (-want +got):\n%s", d)
	}
	wantVars := []Var{{"nanos", IntType(4, true)}, {"units", TypeUint64}}
	if d := cmp.Diff(wantVars, p.Vars); d != "" {
		t.Errorf("vars (-want +got):\n%s", d)
	}
	var regs []string
	var verbs []string
	for call, ci := range info.Calls {
		if ci.Register != nil {
			regs = append(regs, call.Args[0].(*ast.Str).Value+"@"+string(rune('0'+ci.Register.Offset/8)))
		}
		for _, v := range ci.Verbs {
			verbs = append(verbs, v.Conv)
		}
	}
	if len(regs) != 2 || len(verbs) != 4 || strings.Join(verbs, ",") != "lld,d,d,s" {
		t.Errorf("regs %v verbs %v", regs, verbs)
	}
	if r, _ := LookupRegister("bx"); r.Offset != 40 {
		t.Errorf("bx at %d, want 40", r.Offset)
	}
}

func TestMapsAndTargets(t *testing.T) {
	src := `BEGIN { @start[tid] = nsecs; }
uprobe:./frontend:main.* { @calls[func, comm] = count(); @total = sum(arg0); @last = "x"; }
interval:s:1 { print(@calls); @last = "longer"; }
interval:100ms, interval:1s, interval:5000, profile:hz:99, profile:ms:2 { delete(@start, 1); }
END { clear(@calls); }`
	info, errs, _ := check(t, src, nil)
	if errs != "" {
		t.Fatal(errs)
	}
	var got []string
	for _, m := range info.SortedMaps() {
		got = append(got, "@"+m.Name+keyList(m.Keys)+" "+m.Value.String())
	}
	want := []string{"@calls[usym, string[16]] count", "@last[] string[7]", "@start[unsigned int64] unsigned int64", "@total[] sum"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("maps (-want +got):\n%s", d)
	}
	var targets []string
	for _, p := range info.Probes {
		for _, tg := range p.Targets {
			targets = append(targets, tg.Name+" "+tg.Symbol+" "+itoa(tg.PeriodNS)+" "+itoa(tg.Freq))
		}
	}
	wantT := []string{
		"BEGIN  0 0",
		"uprobe:./frontend:main.(*Cart).Total main.(*Cart).Total 0 0",
		"uprobe:./frontend:main.IsValid main.IsValid 0 0",
		"uprobe:./frontend:main.main main.main 0 0",
		"interval:s:1  1000000000 0",
		"interval:100ms  100000000 0",
		"interval:1s  1000000000 0",
		"interval:5000  5000 0",
		"profile:hz:99  0 99",
		"profile:ms:2  2000000 0",
		"END  0 0",
	}
	if d := cmp.Diff(wantT, targets); d != "" {
		t.Errorf("targets (-want +got):\n%s", d)
	}
}

func itoa(n uint64) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

func TestPIDAndParams(t *testing.T) {
	info, errs, _ := check(t, `uprobe:"main.IsValid" { printf("%d\n", $1); } uprobe:$2:main.main { exit(); }`,
		&Config{PID: 42, Params: []string{"7", "./frontend"}})
	if errs != "" {
		t.Fatal(errs)
	}
	if b := info.Probes[0].Targets[0].Binary; b != "./frontend" {
		t.Errorf("binary from pid: %q", b)
	}
	if b := info.Probes[1].Targets[0].Binary; b != "./frontend" {
		t.Errorf("binary from $2: %q", b)
	}
	_, errs, _ = check(t, `BEGIN { @ = $1; }`, &Config{Params: []string{"abc"}})
	if !strings.Contains(errs, `ERROR: $1 used numerically but given "abc". Try using str($1).`) {
		t.Errorf("got %s", errs)
	}
}

func TestParseFormat(t *testing.T) {
	var got []string
	for _, v := range ParseFormat("%-5s|%5.2d|%rx|%c|%p|%lld|100%%d|%hhu%", 8) {
		got = append(got, v.Text)
	}
	want := []string{"%-5s", "%5.2d", "%rx", "%c", "%p", "%lld", "%d", "%hhu"}
	if d := cmp.Diff(want, got); d != "" {
		t.Error(d)
	}
}

// A quoted symbol is a wildcard too, as in bpftrace, unless it names a
// function exactly: Go method names contain '*'.
func TestQuotedSymbols(t *testing.T) {
	env := fakeEnv()
	fe := env.Binaries["./frontend"]
	fe.Symbols = append(fe.Symbols,
		symtab.Symbol{Name: "main.(*Cart).Add", Addr: 0x49e400, Size: 0x20},
		symtab.Symbol{Name: "main.(*xCart).Total", Addr: 0x49e500, Size: 0x20})
	for _, c := range []struct {
		src  string
		want []string
	}{
		{`uprobe:./frontend:"main.(*Cart).Total" {}`, []string{"main.(*Cart).Total"}},
		// Every '*' of a wildcard is a wildcard, the one in "(*" too (as
		// in bpftrace, there is no escape): (*xCart) matches as well.
		{`uprobe:./frontend:"main.(*Cart).*" {}`, []string{"main.(*Cart).Add", "main.(*Cart).Total", "main.(*xCart).Total"}},
		{`uprobe:./frontend:"main.(*x*).Total" {}`, []string{"main.(*xCart).Total"}},
		{`uprobe:./frontend:main.*Cart).Total {}`, []string{"main.(*Cart).Total", "main.(*xCart).Total"}},
	} {
		info, errs, _ := check(t, c.src, &Config{Env: env})
		if errs != "" {
			t.Errorf("%s: %s", c.src, errs)
			continue
		}
		var got []string
		for _, tg := range info.Probes[0].Targets {
			got = append(got, tg.Symbol)
		}
		if d := cmp.Diff(c.want, got); d != "" {
			t.Errorf("%s: targets (-want +got):\n%s", c.src, d)
		}
	}
}

// Bare library names resolve like bpftrace's: libc, c and libc.so name the
// C library; a name that is neither a program nor a library is an error.
func TestFindLibrary(t *testing.T) {
	libc := findLibrary("libc")
	if libc == "" || !strings.Contains(filepath.Base(libc), "libc.so") {
		t.Fatalf("findLibrary(libc) = %q", libc)
	}
	for _, name := range []string{"c", "libc.so"} {
		if got := findLibrary(name); got != libc {
			t.Errorf("findLibrary(%q) = %q, want %q", name, got, libc)
		}
	}
	env := &HostEnv{}
	if got, err := env.ResolveBinary("libc", 0); err != nil || got != libc {
		t.Errorf("ResolveBinary(libc) = %q, %v", got, err)
	}
	if _, err := env.ResolveBinary("libnosuchthing", 0); err == nil {
		t.Error("ResolveBinary(libnosuchthing) succeeded")
	}
}
