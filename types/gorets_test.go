package types

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/goabi"
	"github.com/gobpftrace/gobpftrace/internal/txtar"
)

// lookupFunc is ./frontend's main.IsValid as a function with many results:
// main.IsValid(x int) (ok bool, ~r1 int32, err error, name string,
// p *Money, sl []int16, m Money, f float64, a any). The register ABI
// returns ok in RAX, ~r1 in RBX, err in RCX+RDI, name in RSI+R8, p in R9;
// sl needs three of the two registers left and goes to the stack at SP+8,
// and so does m (SP+32); a takes the two registers sl left (R10+R11);
// f is in X0.
func lookupFunc() *goabi.Func {
	money := goabi.StructType("main.Money",
		goabi.Field{Name: "Units", Type: goabi.IntType(8)},
		goabi.Field{Name: "Nanos", Type: goabi.IntType(4)},
		goabi.Field{Name: "CurrencyCode", Type: goabi.StringType()})
	names := []string{"ok", "~r1", "err", "name", "p", "sl", "m", "f", "a"}
	results := []*goabi.Type{goabi.BoolType(), goabi.IntType(4), goabi.InterfaceType("error"),
		goabi.StringType(), goabi.PointerTo(money), goabi.SliceType(goabi.IntType(2)), money,
		goabi.FloatType(8), goabi.InterfaceType("interface {}")}
	in, out, _ := goabi.AssignFunc("amd64", []*goabi.Type{goabi.IntType(8)}, results)
	f := &goabi.Func{Name: "main.IsValid", Params: []*goabi.Param{{Name: "x", Type: goabi.IntType(8), Loc: in[0]}}}
	for i, n := range names {
		f.Results = append(f.Results, &goabi.Param{Name: n, Type: results[i], Loc: out[i]})
	}
	return f
}

// retsEnv is fakeEnv with lookupFunc as main.IsValid, main.(*Cart).Total
// returning one int, and a kernel function for kprobes.
func retsEnv() *Config {
	total := &goabi.Func{Name: "main.(*Cart).Total", Results: []*goabi.Param{{Name: "~r0", Type: goabi.IntType(8),
		Loc: goabi.Location{Pieces: []goabi.Piece{{Reg: "RAX", Size: 8}}}}}}
	env := goEnv(&StaticGo{Funcs: map[string]*goabi.Func{"main.IsValid": lookupFunc(), "main.(*Cart).Total": total}})
	env.Kallsyms = "ffffffff81000000 T vfs_read\n"
	return &Config{Env: env}
}

// TestGoRetsLocations: the results are where lookupFunc's comment says;
// the tests below rely on it.
func TestGoRetsLocations(t *testing.T) {
	want := map[string]string{"ok": "RAX[0:1]", "~r1": "RBX[0:4]", "err": "RCX[0:8] RDI[8:16]",
		"name": "RSI[0:8] R8[8:16]", "p": "R9[0:8]", "sl": "SP+8[0:24]", "m": "SP+32[0:32]",
		"f": "X0[0:8]", "a": "R10[0:8] R11[8:16]"}
	got := map[string]string{}
	for _, r := range lookupFunc().Results {
		got[r.Name] = r.Loc.String()
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("result locations (-want +got):\n%s", d)
	}
}

// TestGoRetsTypes: every kind of result by name and by position, with the
// bpftrace type each reads as and the register or stack slot it is read
// from at the RET.
func TestGoRetsTypes(t *testing.T) {
	prog := `uretprobe:./frontend:main.IsValid /rets.err.tab != 0/ {
	@ok = rets.ok; @n = rets.1; @e = rets.err.data; @e2 = rets.2.tab;
	@s = rets.name; @sl = rets.3.len; @pu = rets.p->Units; @pc = rets.p.CurrencyCode;
	@l = rets.sl.len; @c = rets.5.cap; @x = rets.sl[1]; @mu = rets.m.Units; @mc = rets.6.CurrencyCode;
	@at = rets.a.tab; @ad = rets.8.data; @r = retval;
	printf("%s %d\n", str(rets.m.CurrencyCode), rets.m.Nanos);
}`
	info, errs, warns := check(t, prog, retsEnv())
	if errs != "" || warns != "" {
		t.Fatalf("%s%s", errs, warns)
	}
	types := map[string]string{}
	ast.Inspect(info.Probes[0].Probe.Body, func(n ast.Node) bool {
		if a, ok := n.(*ast.AssignStmt); ok {
			types[ast.FormatNode(a.Target)] = info.TypeOf(a.Value).String()
		}
		return true
	})
	u8, u64 := "unsigned int8", "unsigned int64"
	want := map[string]string{"@ok": u8, "@n": "int32", "@e": u64, "@e2": u64,
		"@s": "string[64]", "@sl": "int64", "@pu": "int64", "@pc": "string[64]", "@l": "int64",
		"@c": "int64", "@x": "int16", "@mu": "int64", "@mc": "string[64]", "@at": u64,
		"@ad": u64, "@r": u64}
	if d := cmp.Diff(want, types); d != "" {
		t.Errorf("types (-want +got):\n%s", d)
	}
	// Where each value is read: a register of pt_regs, a stack slot above
	// SP, or memory behind a result.
	loc := func(v *GoValue) string {
		if v.Base != nil {
			return "*"
		}
		var s []string
		for _, p := range v.Pieces {
			if p.Reg != "" {
				s = append(s, p.Reg)
			} else {
				s = append(s, "SP+"+strconv.FormatInt(p.Stack, 10))
			}
		}
		return strings.Join(s, " ")
	}
	got := map[string]string{}
	ast.Inspect(info.Probes[0].Probe, func(n ast.Node) bool {
		if e, ok := n.(ast.Expr); ok {
			if v := info.GoValues[e]; v != nil && v.Type != nil {
				got[ast.FormatNode(e)] = loc(v)
			}
		}
		return true
	})
	wantLoc := map[string]string{
		"rets.ok": "RAX", "rets.1": "RBX", "rets.err": "RCX RDI", "rets.err.tab": "RCX",
		"rets.err.data": "RDI", "rets.2": "RCX RDI", "rets.2.tab": "RCX", "rets.name": "RSI R8",
		"rets.3": "RSI R8", "rets.3.len": "R8", "rets.p": "R9", "rets.p->Units": "*",
		"rets.p.CurrencyCode": "*", "rets.sl": "SP+8", "rets.sl.len": "SP+16", "rets.5": "SP+8",
		"rets.5.cap": "SP+24", "rets.sl[1]": "*", "rets.m": "SP+32", "rets.m.Units": "SP+32",
		"rets.6": "SP+32", "rets.6.CurrencyCode": "SP+48", "rets.m.CurrencyCode": "SP+48",
		"rets.m.Nanos": "SP+40", "rets.a": "R10 R11", "rets.a.tab": "R10", "rets.8": "R10 R11",
		"rets.8.data": "R11",
	}
	if d := cmp.Diff(wantLoc, got); d != "" {
		t.Errorf("value locations (-want +got):\n%s", d)
	}
	for e, v := range info.GoValues {
		if v.Func != nil && (!v.Results || ast.FormatNode(e) != "rets") {
			t.Errorf("%s: root %+v", ast.FormatNode(e), v)
		}
	}
}

// TestGoRetsAddress: a return probe written as the function's address
// finds the function's results too.
func TestGoRetsAddress(t *testing.T) {
	info, errs, _ := check(t, `ur:./frontend:0x49e140 { @ = rets.1; }`, retsEnv())
	if errs != "" {
		t.Fatal(errs)
	}
	for e, v := range info.GoValues {
		if ast.FormatNode(e) == "rets.1" && (v.Type.Name != "int32" || len(v.Pieces) != 1 || v.Pieces[0].Reg != "RBX") {
			t.Errorf("rets.1 is %+v, want main.IsValid's ~r1 in RBX", v)
		}
	}
	if len(info.GoValues) != 2 {
		t.Errorf("%d Go values, want rets and rets.1", len(info.GoValues))
	}
}

// TestGoRetsNoDWARF: a binary without DWARF names the reason, as args does.
func TestGoRetsNoDWARF(t *testing.T) {
	_, errs, _ := check(t, `uretprobe:./frontend:main.IsValid { @x = rets.0; }`, &Config{Env: goEnv(&StaticGo{Err: goabi.ErrNoDWARF})})
	const want = "stdin:1:42-46: ERROR: ./frontend has no DWARF debug info (was it built with -ldflags=-w?): Go arguments, results and goid need it; reg(\"ax\") and friends still work"
	if !strings.HasPrefix(errs, want) {
		t.Errorf("got  %s\nwant %s", errs, want)
	}
	_, errs, _ = check(t, `uretprobe:./frontend:main.IsValid { @x = rets.0; }`, &Config{Env: goEnv(&StaticGo{Arch: "arm64"})})
	if !strings.Contains(errs, "rets on arm64 Go binaries is not supported yet") {
		t.Errorf("arm64: %s", errs)
	}
}

// TestGoRetsErrors checks the exact diagnostics of each script in
// testdata/gorets.txt (the format of errors.txt) with retsEnv: `rets`
// outside Go return probes, `args` at them, unknown results and fields.
// `go test ./types -run GoRetsErrors -update` rewrites the file.
func TestGoRetsErrors(t *testing.T) {
	checkDiagnosticsFile(t, "testdata/gorets.txt", retsEnv(), 15)
}

// checkDiagnosticsFile checks the diagnostics of each `=== SCRIPT` block
// of the file at path (see testdata/gofloats.txt) with conf; every script
// must fail, and the file must hold at least min of them. With -update it
// rewrites the expectations.
func checkDiagnosticsFile(t *testing.T, path string, conf *Config, min int) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	head, _, _ := strings.Cut(string(data), "=== ")
	var out strings.Builder
	out.WriteString(head)
	blocks := strings.Split(string(data), "=== ")[1:]
	for _, block := range blocks {
		src, want, _ := strings.Cut(block, "\n")
		_, errs, warns := check(t, src, conf)
		got := warns + errs
		out.WriteString("=== " + src + "\n" + got)
		if got == "" {
			t.Errorf("%s: no error", src)
		}
		if !*txtar.Update && got != want {
			t.Errorf("%s\n(-want +got):\n%s", src, cmp.Diff(want, got))
		}
	}
	if len(blocks) < min {
		t.Fatalf("only %d cases in %s", len(blocks), path)
	}
	if *txtar.Update {
		if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
