package runtime_test

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/gobpftrace/gobpftrace"
	"github.com/gobpftrace/gobpftrace/internal/testenv"
	"github.com/gobpftrace/gobpftrace/runtime"
)

// goRetsProg returns results of every shape `rets` reads and prints its
// own view of each call's results, in the format goRetsScript prints them
// at the return probes: (int, error) with a nil error and two non-nil
// ones of different dynamic types (printed as the interface's two words),
// (string, bool), named results, a struct, and, in many, more results
// than the nine integer registers hold, after two stack-passed argument
// words: sl, p, last and w are on the stack above them (w, an array of
// two floats, would be on the stack anyway).
const goRetsProg = `package main

import (
	"errors"
	"fmt"
	"strconv"
	"unsafe"
)

type Point struct {
	X    int
	Y    int32
	Name string
}

type Pair struct{ A, B int64 }

var errEmpty = errors.New("empty")

//go:noinline
func parse(s string) (int, error) {
	if s == "" {
		return 0, errEmpty
	}
	return strconv.Atoi(s)
}

//go:noinline
func lookup(k int) (string, bool) {
	if k%2 == 0 {
		return "even-" + strconv.Itoa(k), true
	}
	return "", false
}

//go:noinline
func divmod(a, b int) (q, r int, err error) {
	if b == 0 {
		err = errEmpty
		return
	}
	return a / b, a % b, nil
}

//go:noinline
func point(x int) Point { return Point{X: x, Y: int32(-x), Name: "p" + strconv.Itoa(x)} }

//go:noinline
func many(tag [2]int, x int) (a, b, c, d, e, f, g int, s string, sl []int, p Pair, last int8, w [2]float64) {
	sl = make([]int, 3, 5)
	sl[1] = x * 10
	return x, x + 1, x + 2, x + 3, x + 4, x + 5, x + 6, "s" + strconv.Itoa(x), sl,
		Pair{int64(tag[0]), int64(tag[1])}, int8(-x), [2]float64{float64(x) + 0.5, -2.25}
}

// words returns an interface's two words: its itab (0 when nil) and data.
func words(err error) (uintptr, uintptr) {
	w := (*[2]uintptr)(unsafe.Pointer(&err))
	return w[0], w[1]
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func main() {
	for _, s := range []string{"42", "", "x1"} {
		n, err := parse(s)
		t, d := words(err)
		fmt.Printf("parse %d %x %x\n", n, t, d)
	}
	for k := 1; k <= 2; k++ {
		s, ok := lookup(k)
		fmt.Printf("lookup [%s] %d %d\n", s, len(s), b2i(ok))
	}
	for _, b := range []int{3, 0} {
		q, r, err := divmod(17, b)
		t, _ := words(err)
		fmt.Printf("divmod %d %d %x\n", q, r, t)
	}
	pt := point(7)
	fmt.Printf("point %d %d %s\n", pt.X, pt.Y, pt.Name)
	a, b, c, d, e, f, g, s, sl, p, last, w := many([2]int{100, 200}, 9)
	fmt.Printf("many %d %d %d %d %d %d %d %s\n", a, b, c, d, e, f, g, s)
	fmt.Printf("many %d %d %d %d %d %d %f %g\n", len(sl), cap(sl), sl[1], p.A, p.B, last, w[0], w[1])
}
`

// goRetsScript prints every result of every call of goRetsProg, by name
// and by position, as the program prints them (%lx: printf's %x, as in C,
// prints 32 bits).
const goRetsScript = `ur:%[1]s:main.parse { printf("parse %%d %%lx %%lx\n", rets.0, rets.1.tab, rets.1.data); }
ur:%[1]s:main.parse /rets.1.tab != 0/ { @fails = count(); }
ur:%[1]s:main.lookup { printf("lookup [%%s] %%d %%d\n", rets.0, rets.0.len, rets.1); }
ur:%[1]s:main.divmod { printf("divmod %%d %%d %%lx\n", rets.q, rets.r, rets.err.tab); }
ur:%[1]s:main.point { printf("point %%d %%d %%s\n", rets.0.X, rets.0.Y, rets.0.Name); }
ur:%[1]s:main.point /retval == rets.0.X/ { @retval = count(); }
ur:%[1]s:main.many {
	printf("many %%d %%d %%d %%d %%d %%d %%d %%s\n", rets.a, rets.b, rets.c, rets.d, rets.e, rets.f, rets.6, rets.s);
	printf("many %%d %%d %%d %%d %%d %%d %%f %%g\n", rets.sl.len, rets.8.cap, rets.sl[1], rets.p.A, rets.9.B, rets.last, rets.w[0], rets.11[1]);
}`

// TestGoRets reads every result of Go functions at their RETs by name and
// by position and checks the printed text against what the program says
// it got: the error words identify nil and non-nil errors exactly, and
// the results past the registers come from the stack at the same offsets
// from SP as stack arguments at entry.
func TestGoRets(t *testing.T) {
	testenv.RequireBPF(t)
	out, prog := traceProgram(t, goRetsProg, goRetsScript, 10)
	// Sanity of the program's own view: one nil and two distinct non-nil
	// errors, and the stack results it returned.
	lines := strings.Split(prog, "\n")
	if !strings.HasPrefix(lines[0], "parse 42 0 0") || lines[1] == lines[2] || strings.Contains(lines[1], " 0 0") ||
		!strings.Contains(prog, "many 3 5 90 100 200 -9 9.500000 -2.25\n") {
		t.Fatalf("unexpected program output:\n%s", prog)
	}
	if !strings.Contains(out, prog) {
		t.Errorf("traced results differ from the program's:\n--- traced:\n%s\n--- program:\n%s", out, prog)
	}
	if got := mapLine(t, out, "@fails"); got != "2" {
		t.Errorf("@fails = %s, want 2 (the calls whose error is not nil)", got)
	}
	if got := mapLine(t, out, "@retval"); got != "1" {
		t.Errorf("@retval = %s, want 1 (retval is the first result)", got)
	}
}

// TestGoRetsDecode decodes printf events of results into a Go struct:
// the error's words, a string and a bool, named results.
func TestGoRetsDecode(t *testing.T) {
	testenv.RequireBPF(t)
	bin := testenv.BuildGo(t, goRetsProg)
	prog, err := gobpftrace.Compile("stdin", fmt.Sprintf(`ur:%[1]s:main.parse { printf("fn:%%s n:%%d tab:%%x data:%%x\n", "parse", rets.0, rets.1.tab, rets.1.data); }
ur:%[1]s:main.lookup { printf("fn:%%s name:%%s ok:%%d\n", "lookup", rets.0, rets.1); }
ur:%[1]s:main.divmod { printf("fn:%%s q:%%d r:%%d failed:%%d\n", "divmod", rets.q, rets.r, rets.err.tab != 0); }
ur:%[1]s:main.point { exit(); }`, bin), nil)
	if err != nil {
		t.Fatal(err)
	}
	target := make(chan string, 1)
	sess, err := runtime.Load(prog, &runtime.Options{TTL: time.Minute, OnAttached: func() {
		go func() {
			out, err := exec.Command(bin).CombinedOutput()
			if err != nil {
				t.Errorf("target: %v\n%s", err, out)
			}
			target <- string(out)
		}()
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	type row struct {
		Fn     string
		N      int
		Tab    uintptr
		Data   uint64
		Name   string
		OK     bool
		Q, R   int64
		Failed bool
	}
	var got []string
	for ev, err := range sess.Events(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if ev.Format == nil {
			continue
		}
		var r row
		if err := ev.Decode(&r); err != nil {
			t.Fatal(err)
		}
		switch r.Fn {
		case "parse":
			got = append(got, fmt.Sprintf("parse %d %x %x", r.N, r.Tab, r.Data))
		case "lookup":
			got = append(got, fmt.Sprintf("lookup [%s] %d %d", r.Name, len(r.Name), map[bool]int{true: 1}[r.OK]))
		case "divmod":
			got = append(got, fmt.Sprintf("divmod %d %d %v", r.Q, r.R, r.Failed))
		}
	}
	var want []string
	for _, l := range strings.Split(<-target, "\n") {
		f := strings.Fields(l)
		switch {
		case strings.HasPrefix(l, "parse "), strings.HasPrefix(l, "lookup "):
			want = append(want, l)
		case len(f) == 4 && f[0] == "divmod":
			want = append(want, fmt.Sprintf("divmod %s %s %v", f[1], f[2], f[3] != "0"))
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || len(want) != 7 {
		t.Errorf("decoded:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestGoRetsErrorType: printing an error result names its dynamic type,
// read from the itab its first word points at.
func TestGoRetsErrorType(t *testing.T) {
	testenv.RequireBPF(t)
	out, _ := traceProgram(t, goRetsProg, `ur:%[1]s:main.parse /rets.1.tab != 0/ { print(rets.1); }`, 10)
	for _, want := range []string{"{type:*errors.errorString data:0x", "{type:*strconv.NumError data:0x"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
