package types

import (
	"strings"
	"testing"

	"github.com/gobpftrace/gobpftrace/internal/testenv"
)

// floatProg has floats in memory and in registers, as the Go compiler
// lays them out: price(p *Item, a [2]float64, xs []float64, x float64).
const floatProg = `package main

type Item struct {
	Name  string
	Price float64
	Ratio float32
}

//go:noinline
func price(p *Item, a [2]float64, xs []float64, x float64) float64 {
	return p.Price*float64(p.Ratio) + a[0] + a[1] + xs[2] + x
}

func main() {
	println(price(&Item{Price: 2.5, Ratio: 0.5}, [2]float64{1, 2}, []float64{0, 0, 3}, 4))
}
`

// TestGoFloatsRealBinary checks the float rules against the DWARF and ABI
// of a program the Go toolchain built: the pointer's fields, the array on
// the stack and the slice element are floats; the argument in X0 is not
// readable.
func TestGoFloatsRealBinary(t *testing.T) {
	bin := testenv.BuildGo(t, floatProg)
	conf := &Config{Env: &HostEnv{}}
	ok := `uprobe:` + bin + `:main.price { printf("%f %g %e %g\n", args.p.Price, args.p->Ratio, args.a[1], args.xs[2]); print(args.a[0]); }`
	info, errs, _ := check(t, ok, conf)
	if errs != "" {
		t.Fatalf("%s", errs)
	}
	var kinds []string
	for _, ci := range info.Calls {
		for _, v := range ci.Verbs {
			kinds = append(kinds, v.Kind.String())
		}
	}
	if strings.Join(kinds, ",") != "float,float,float,float" {
		t.Errorf("printf verbs take %v", kinds)
	}
	n := 0
	for _, v := range info.GoValues {
		if v.Type != nil && (v.Type.Name == "float64" || v.Type.Name == "float32") {
			n++
		}
	}
	if n != 5 {
		t.Errorf("%d float Go values recorded, want 5", n)
	}
	_, errs, _ = check(t, `uprobe:`+bin+`:main.price { print(args.x); }`, conf)
	if !strings.Contains(errs, "cannot read this float64 value: Go passes it in register X0") {
		t.Errorf("a float in X0:\n%s", errs)
	}
}
