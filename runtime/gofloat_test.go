package runtime_test

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/gobpftrace/gobpftrace"
	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/internal/testenv"
	"github.com/gobpftrace/gobpftrace/runtime"
)

// goFloatProg passes floats every way the register ABI does: fields of a
// struct behind a pointer, a [2]float64 and a struct holding an array (on
// the stack), a []float64, one float64 in X0, and, once the 15 X
// registers are spent, a float64 and a float32 on the stack. Its values
// have exact decimal forms but 0.1 (float64 and float32), for %g's
// precision and print()'s shortest form.
const goFloatProg = `package main

import "fmt"

type Item struct {
	Name  string
	Price float64
	Ratio float32
	Qty   int
}

type Box struct {
	W    [2]int
	Mass float64
}

//go:noinline
func price(p *Item, a [2]float64, xs []float64, x float64, b Box) float64 {
	return p.Price*float64(p.Ratio) + a[0] + a[1] + xs[2] + x + b.Mass
}

//go:noinline
func many(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15 float64, g float32) float64 {
	return f0 + f1 + f2 + f3 + f4 + f5 + f6 + f7 + f8 + f9 + f10 + f11 + f12 + f13 + f14 + f15 + float64(g)
}

func main() {
	it := &Item{Name: "tea", Price: 2.5, Ratio: 0.1, Qty: 3}
	fmt.Println(price(it, [2]float64{-1.25, 1e21}, []float64{0, 0.5, 0.1}, 4, Box{W: [2]int{7, 8}, Mass: 6.75}))
	fmt.Println(many(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16.5, -0.375))
}
`

const goFloatScript = `uprobe:%[1]s:main.price {
	$r = args.p->Ratio;
	printf("price:%%f ratio:%%g ratio64:%%.10g a0:%%e a1:%%g xs2:%%g xs2e:%%.17g mass:%%6.2f|\n",
		args.p.Price, $r, args.p.Ratio, args.a[0], args.a[1], args.xs[2], args.xs[2], args.b.Mass);
	print(args.p.Price); print($r); print(args.xs[2]); print(args.a[1]);
}
uprobe:%[1]s:main.many {
	printf("f15:%%f g:%%g f15e:%%.3E\n", args.f15, args.g, args.f15);
	exit();
}`

// goFloatText is what goFloatScript prints for goFloatProg's calls.
const goFloatText = `price:2.500000 ratio:0.1 ratio64:0.1000000015 a0:-1.250000e+00 a1:1e+21 xs2:0.1 xs2e:0.10000000000000001 mass:  6.75|
2.5
0.1
0.1
1e+21
f15:16.500000 g:-0.375 f15e:1.650E+01
`

// runFloatProg runs the built program to its end and checks its output.
func runFloatProg(t *testing.T, bin string) {
	out, err := exec.Command(bin).CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "1e+21\n") {
		t.Errorf("target: %v\n%s", err, out)
	}
}

// TestGoFloats reads floats from memory at uprobes on a Go program and
// prints them with printf's float conversions and print(), as text and
// as JSON.
func TestGoFloats(t *testing.T) {
	testenv.RequireBPF(t)
	bin := testenv.BuildGo(t, goFloatProg)
	script := fmt.Sprintf(goFloatScript, bin)
	out := traceWhile(t, script, 0, func() { runFloatProg(t, bin) })
	if !strings.Contains(out, "\n"+goFloatText) {
		t.Errorf("output:\n%s\nwant:\n%s", out, goFloatText)
	}

	prog, err := gobpftrace.Compile("stdin", script, nil)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := runtime.Load(prog, &runtime.Options{JSON: true, TTL: time.Minute,
		OnAttached: func() { go runFloatProg(t, bin) }})
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	var b strings.Builder
	if err := sess.Run(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`{"type": "value", "data": 2.5}`, `{"type": "value", "data": 0.1}`, `{"type": "value", "data": 1e+21}`,
		`{"type": "printf", "data": "f15:16.500000 g:-0.375 f15e:1.650E+01\n"}`,
	} {
		if !strings.Contains(b.String(), want+"\n") {
			t.Errorf("JSON output lacks %s:\n%s", want, b.String())
		}
	}
}

// TestGoFloatsDecode decodes a printf event of floats into a Go struct:
// float64 fields, a float32 field, and a float32 column into a float64.
func TestGoFloatsDecode(t *testing.T) {
	testenv.RequireBPF(t)
	bin := testenv.BuildGo(t, goFloatProg)
	prog, err := gobpftrace.Compile("stdin", fmt.Sprintf(`uprobe:%[1]s:main.price {
	printf("price:%%f ratio:%%g wide:%%g a1:%%e mass:%%g\n", args.p.Price, args.p.Ratio, args.p->Ratio, args.a[1], args.b.Mass);
	exit();
}`, bin), nil)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := runtime.Load(prog, &runtime.Options{TTL: time.Minute, OnAttached: func() { go runFloatProg(t, bin) }})
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	type row struct {
		Price float64
		Ratio float32
		Wide  float64
		A1    float64
		Mass  float64
	}
	var got []row
	for ev, err := range sess.Events(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		var r row
		if ev.Format == nil {
			continue
		}
		if err := ev.Decode(&r); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	want := row{Price: 2.5, Ratio: 0.1, Wide: float64(float32(0.1)), A1: 1e21, Mass: 6.75}
	if len(got) != 1 || got[0] != want {
		t.Errorf("decoded %+v, want [%+v]", got, want)
	}
}

// TestGoFloatInRegister: a float argument in an X register is a compile
// error that names the register and the script's expression.
func TestGoFloatInRegister(t *testing.T) {
	bin := testenv.BuildGo(t, goFloatProg)
	src := fmt.Sprintf(`uprobe:%s:main.price { printf("%%f\n", args.x); }`, bin)
	_, err := gobpftrace.Compile("stdin", src, nil)
	var b strings.Builder
	ast.PrintError(&b, src, err)
	col := strings.Index(src, "args.x") + 1
	want := fmt.Sprintf("stdin:1:%d-%d: ERROR: cannot read this float64 value: Go passes it in register X0, which uprobes do not see (X registers are not in pt_regs, so reg() cannot read it either)", col, col+6)
	if !strings.HasPrefix(b.String(), want) || !strings.Contains(b.String(), "\n"+strings.Repeat(" ", col-1)+"~~~~~~\n") {
		t.Errorf("error:\n%s\nwant it to start with\n%s", b.String(), want)
	}
	for _, name := range []string{"f14"} {
		src := fmt.Sprintf(`uprobe:%s:main.many { print(args.%s); }`, bin, name)
		if _, err := gobpftrace.Compile("stdin", src, nil); err == nil || !strings.Contains(err.Error(), "register X14") {
			t.Errorf("args.%s: %v", name, err)
		}
	}
}
