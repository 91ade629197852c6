package runtime_test

import (
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/gobpftrace/gobpftrace/internal/testenv"
	"github.com/gobpftrace/gobpftrace/runtime"
	"github.com/gobpftrace/gobpftrace/symtab"
)

// goRetProg is the Go program of the return-probe tests. `grow N` calls
// main.grow N times, each on a fresh goroutine whose stack grows (deep
// recursion with 512-byte frames) before grow returns: a kernel uretprobe
// on grow crashes it ("unexpected return pc for main.grow called from
// 0x7fffffffe000", checked with bpftrace 0.17). `calls N` calls f (two
// return paths, always 4242), pair (two results) and the methods T.V and
// (*T).M N times. Both print the number of calls they made.
const goRetProg = `package main

import (
	"fmt"
	"os"
	"strconv"
)

//go:noinline
func deep(n int) int {
	var pad [512]byte
	pad[n%512] = byte(n)
	if n == 0 {
		return int(pad[0])
	}
	return deep(n-1) + int(pad[n%512])
}

//go:noinline
func grow(i int) int { return deep(40) + i }

//go:noinline
func f(x int) int {
	if x%2 == 0 {
		return 4242
	}
	return 4200 + 42*(x%2)
}

//go:noinline
func pair(x int) (int, int) { return x + 1, 777 }

//go:noinline
func fe(x int) (int, error) {
	if x%4 == 0 {
		return 0, os.ErrNotExist
	}
	return x, nil
}

type T struct{ n int }

//go:noinline
func (t *T) M(x int) int {
	if x < 0 {
		return -1
	}
	return t.n + 1000
}

//go:noinline
func (t T) V() int { return t.n + 2000 }

func main() {
	n, _ := strconv.Atoi(os.Args[2])
	calls := 0
	switch os.Args[1] {
	case "grow":
		for i := 0; i < n; i++ {
			done := make(chan int)
			go func() { done <- grow(i) }()
			<-done
			calls++
		}
	case "calls":
		t := &T{n: 5}
		for i := 0; i < n; i++ {
			a, b := pair(i)
			c, _ := fe(i)
			_ = f(i) + a + b + c + t.M(i) + t.V()
			calls++
		}
	}
	fmt.Println(calls)
}
`

// goRetBuild builds goRetProg and returns the binary's path.
func goRetBuild(t testing.TB) string {
	t.Helper()
	return testenv.BuildGo(t, goRetProg)
}

// goRetTrace runs script while the target runs `bin args...` to its end;
// it returns the script's output, and the target's output and exit error.
func goRetTrace(t *testing.T, script, bin string, args ...string) (out, targetOut string, targetErr error) {
	t.Helper()
	var o []byte
	out = traceWhile(t, script, 0, func() { o, targetErr = exec.Command(bin, args...).CombinedOutput() })
	return out, string(o), targetErr
}

// mapLine returns the value printed for the map line starting with name.
func mapLine(t *testing.T, out, name string) string {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(l, name+": "); ok {
			return v
		}
	}
	t.Errorf("no %s in the output:\n%s", name, out)
	return ""
}

// TestGoUretprobeStackGrowth is the crash scenario: 10,000 returns of a
// function whose goroutine's stack grows before it returns. The target
// must exit normally, and every return must be counted.
func TestGoUretprobeStackGrowth(t *testing.T) {
	testenv.RequireBPF(t)
	bin := goRetBuild(t)
	const n = 10000
	out, tout, terr := goRetTrace(t, `uretprobe:`+bin+`:main.grow { @ = count(); @p[probe] = count(); @r = retval; }`,
		bin, "grow", strconv.Itoa(n))
	if terr != nil {
		t.Fatalf("target failed: %v\n%s", terr, tout)
	}
	calls := strings.TrimSpace(tout)
	if calls != strconv.Itoa(n) {
		t.Fatalf("target printed %q, want %d", calls, n)
	}
	if got := mapLine(t, out, "@"); got != calls {
		t.Errorf("@ = %s returns, target made %s calls\n%s", got, calls, out)
	}
	if got := mapLine(t, out, "@p[uretprobe:"+bin+":main.grow]"); got != calls {
		t.Errorf("probe name: %s\n%s", got, out)
	}
	// The last call is grow(9999): deep(40) is 0+1+...+40 = 820.
	if got := mapLine(t, out, "@r"); got != strconv.Itoa(820+n-1) {
		t.Errorf("@r = %s, want %d", got, 820+n-1)
	}
}

// TestGoUretprobeResults: entry and return probes on the same function,
// the first result as retval, the second as reg("bx") (also the type word
// of an error result), methods with
// pointer and value receivers, and the caller in ustack.
func TestGoUretprobeResults(t *testing.T) {
	testenv.RequireBPF(t)
	bin := goRetBuild(t)
	const n = 1000
	script := fmt.Sprintf(`uprobe:%[1]s:main.f { @calls = count(); }
uretprobe:%[1]s:main.f { @rets = count(); @last = retval; }
ur:%[1]s:main.pair { @a = retval; @b = reg("bx"); }
uretprobe:%[1]s:"main.(*T).M" { @m = count(); @mv = retval; }
uretprobe:%[1]s:"main.T.V" { @v = count(); @vv = retval; }
ur:%[1]s:main.pair /retval == 3/ { printf("%%s", ustack(3)); }
ur:%[1]s:main.fe /reg("bx") != 0/ { @errs = count(); }`, bin)
	out, tout, terr := goRetTrace(t, script, bin, "calls", strconv.Itoa(n))
	if terr != nil || strings.TrimSpace(tout) != strconv.Itoa(n) {
		t.Fatalf("target: %v\n%s", terr, tout)
	}
	for name, want := range map[string]string{
		"@calls": "1000", "@rets": "1000", "@last": "4242",
		"@a": "1000", "@b": "777", // pair(999) = 1000, 777
		"@m": "1000", "@mv": "1005", "@v": "1000", "@vv": "2005",
		"@errs": "250", // fe's error (RBX: its type word) is set for x%4 == 0
	} {
		if got := mapLine(t, out, name); got != want {
			t.Errorf("%s = %s, want %s", name, got, want)
		}
	}
	// At a RET the frame is popped: the caller comes from [sp], as at an
	// entry probe, and must not be skipped.
	if !strings.Contains(out, "main.pair+") || !strings.Contains(out, "main.main+") {
		t.Errorf("ustack at a Go return probe lacks main.pair or its caller main.main:\n%s", out)
	}
}

// TestGoUretprobeResolve: all RETs of all functions of a Go return probe
// are resolved with their function's cookie, as plain uprobes.
func TestGoUretprobeResolve(t *testing.T) {
	bin := goRetBuild(t)
	tab, err := symtab.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	syms := []string{"main.f", "main.(*T).M"}
	_, targets, err := runtime.ResolveUprobe(runtime.Probe{Provider: runtime.Uretprobe, Path: bin, Symbols: syms, Cookies: []uint64{7, 9}})
	if err != nil {
		t.Fatal(err)
	}
	var want []runtime.UprobeTarget
	for i, name := range syms {
		s, _ := tab.Lookup(name)
		rets, err := tab.Returns(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rets {
			off, _ := tab.FileOffset(r)
			want = append(want, runtime.UprobeTarget{Symbol: name, Offset: off, Cookie: []uint64{7, 9}[i]})
		}
	}
	if len(want) < 4 || fmt.Sprint(targets) != fmt.Sprint(want) {
		t.Errorf("targets %v\nwant %v", targets, want)
	}
	s, _ := tab.Lookup("main.f")
	if _, _, err := runtime.ResolveUprobe(runtime.Probe{Provider: runtime.Uretprobe, Path: bin, Address: s.Addr + 1}); err == nil {
		t.Error("a Go uretprobe inside a function resolved")
	}
}
