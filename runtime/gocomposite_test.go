package runtime_test

import (
	"strings"
	"testing"

	"github.com/gobpftrace/gobpftrace/internal/testenv"
)

// goCompositeProg passes and returns Go composites of every placement
// print() reads whole, and prints each as fmt's %+v does, in the lines
// goCompositeScript prints at its probes: a struct in registers (charge),
// a struct the ABI puts on the stack because it holds an array (boxed),
// a pointer to a struct with an embedded struct, a nested struct, a
// string, a pointer, an array and floats in memory (order, twice: Next
// nil and not), an array on the stack (arr), a struct result (mk), and a
// struct whose float is in register X0 (temp), printed with "?" for it.
const goCompositeProg = `package main

import "fmt"

type Money struct {
	Units        int64
	Nanos        int32
	CurrencyCode string
}

type Box struct {
	W    [2]int64
	Ok   bool
	Name string
}

type Base struct{ ID uint8 }

type Inner struct {
	Flag  bool
	Code  uint16
	Label string
}

type Order struct {
	Base
	Qty   int16
	Price float64
	Total Money
	In    Inner
	Next  *Order
	Tags  [3]int32
	Ratio float32
}

type Temp struct {
	C     float64
	Where string
}

//go:noinline
func charge(m Money) bool { return m.Units > 0 }

//go:noinline
func boxed(b Box) int { return len(b.Name) }

//go:noinline
func order(o *Order) int { return int(o.Qty) }

//go:noinline
func arr(a [4]int16) int16 { return a[0] }

//go:noinline
func mk(x int) Money { return Money{Units: int64(x), Nanos: int32(-x), CurrencyCode: "EUR"} }

//go:noinline
func temp(t Temp) float64 { return t.C }

//go:noinline
func slices(a []int32, b []uint8, c, d []string) int { return len(a) + len(b) + len(c) + len(d) }

func main() {
	m := Money{Units: 1, Nanos: -10000000, CurrencyCode: "USD"}
	charge(m)
	fmt.Printf("charge %+v\n", m)
	b := Box{W: [2]int64{-5, 6}, Ok: true, Name: "crate"}
	boxed(b)
	fmt.Printf("boxed %+v\n", b)
	o := &Order{Base: Base{ID: 7}, Qty: -3, Price: 2.5, Total: Money{Units: 99, Nanos: 5, CurrencyCode: "GBP"},
		In: Inner{Flag: true, Code: 65535, Label: "fragile"}, Tags: [3]int32{1, -2, 3}, Ratio: 0.1}
	order(o)
	fmt.Printf("order %+v\n", o)
	o2 := &Order{Qty: 1, Next: o}
	order(o2)
	fmt.Printf("order %+v\n", o2)
	a := [4]int16{1, -2, 3, 32767}
	arr(a)
	fmt.Printf("arr %+v\n", a)
	fmt.Printf("mk %+v\n", mk(42))
	short, long := []int32{4, -5, 6}, make([]uint8, 12, 20)
	for i := range long {
		long[i] = uint8(i * 20)
	}
	names := []string{"a", "bc"}
	slices(short, long, names[:0], names)
	fmt.Printf("slices %+v %+v %+v %+v\n", short, long[:8], names[:0], names)
	t := Temp{C: 21.5, Where: "lab"}
	temp(t)
	fmt.Printf("temp %+v\n", t)
}
`

const goCompositeScript = `uprobe:%[1]s:main.charge { printf("charge %%s\n", args.m); }
uprobe:%[1]s:main.boxed { printf("boxed "); print(args.b); }
uprobe:%[1]s:main.order { printf("order %%s\n", args.o); }
uprobe:%[1]s:main.arr { printf("arr %%s\n", args.a); }
uretprobe:%[1]s:main.mk { printf("mk %%s\n", rets.0); }
uprobe:%[1]s:main.temp { printf("temp %%s\n", args.t); }
uprobe:%[1]s:main.slices { printf("slices %%s %%s %%s %%s\n", args.a, args.b, args.c, args.d); }`

// TestGoComposites prints whole Go values at uprobes and return probes and
// compares the text with the program's own %+v of each, line by line;
// only the float in X0, which no uprobe can read, differs (as "?").
func TestGoComposites(t *testing.T) {
	testenv.RequireBPF(t)
	out, prog := traceProgram(t, goCompositeProg, goCompositeScript, 8)
	want := strings.Replace(prog, "temp {C:21.5 ", "temp {C:? ", 1)
	// A slice prints its first 8 elements, then "..." where Go's %+v
	// (given long[:8] above) closes the bracket.
	want = strings.Replace(want, "[0 20 40 60 80 100 120 140]", "[0 20 40 60 80 100 120 140 ...]", 1)
	if want == prog || !strings.Contains(want, "Next:0x") {
		t.Fatalf("unexpected program output:\n%s", prog)
	}
	if !strings.Contains(out, want) {
		t.Errorf("traced values differ from the program's %%+v:\n--- traced:\n%s\n--- want:\n%s", out, want)
	}
}
