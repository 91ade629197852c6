package types

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/goabi"
)

// cartTotal is ./frontend's main.(*Cart).Total(c *Cart, w [2]float64,
// rate float64, z complex128, xs []float64, b Box, f0...f12 float64,
// g float32), placed by the amd64 register ABI: c in RAX, xs in RBX-RDI;
// rate in X0, z in X1-X2, f0...f11 in X3-X14; w, b (it holds an array of
// two), and, the 15 X registers spent, f12 and g on the stack.
func cartTotal() *goabi.Func {
	f32, f64 := goabi.FloatType(4), goabi.FloatType(8)
	cart := goabi.StructType("main.Cart",
		goabi.Field{Name: "Items", Type: goabi.IntType(8)},
		goabi.Field{Name: "Price", Type: f64},
		goabi.Field{Name: "Ratio", Type: f32},
		goabi.Field{Name: "Z", Type: goabi.ComplexType(8)},
		goabi.Field{Name: "Prices", Type: goabi.SliceType(f64)},
		goabi.Field{Name: "Hist", Type: goabi.ArrayType(3, f64)})
	box := goabi.StructType("main.Box",
		goabi.Field{Name: "W", Type: goabi.ArrayType(2, goabi.IntType(8))},
		goabi.Field{Name: "Mass", Type: f64},
		goabi.Field{Name: "Tag", Type: f32})
	names := []string{"c", "w", "rate", "z", "xs", "b"}
	params := []*goabi.Type{goabi.PointerTo(cart), goabi.ArrayType(2, f64), f64,
		goabi.ComplexType(16), goabi.SliceType(f64), box}
	for i := 0; i <= 12; i++ {
		names, params = append(names, fmt.Sprintf("f%d", i)), append(params, f64)
	}
	names, params = append(names, "g"), append(params, f32)
	in, _, _ := goabi.AssignFunc("amd64", params, nil)
	f := &goabi.Func{Name: "main.(*Cart).Total"}
	for i, n := range names {
		f.Params = append(f.Params, &goabi.Param{Name: n, Type: params[i], Loc: in[i]})
	}
	return f
}

func floatEnv() *Config {
	src := &StaticGo{Funcs: map[string]*goabi.Func{"main.(*Cart).Total": cartTotal()}}
	return &Config{Env: goEnv(src)}
}

// TestGoFloatLocations: the ABI puts what the tests below rely on where
// the comment of cartTotal says.
func TestGoFloatLocations(t *testing.T) {
	want := map[string]string{"c": "RAX[0:8]", "w": "SP+8[0:16]", "rate": "X0[0:8]", "z": "X1[0:8] X2[8:16]",
		"f11": "X14[0:8]", "f12": "SP+56[0:8]", "g": "SP+64[0:4]"}
	for _, p := range cartTotal().Params {
		if w, ok := want[p.Name]; ok && p.Loc.String() != w {
			t.Errorf("%s at %s, want %s", p.Name, p.Loc, w)
		}
	}
}

// TestGoFloatsAllowed: floats in memory type as float32/float64 where a
// script may print them (printf's float conversions, print, a scratch
// variable), with every index form the Go values take.
func TestGoFloatsAllowed(t *testing.T) {
	prog := `uprobe:./frontend:"main.(*Cart).Total" {
	$r = args.c->Ratio; $p = args.c.Price; $q = $p;
	printf("%f %e %g %a %E %G %A %F\n", args.c.Price, $r, args.w[1], args.b.Mass, args.b.Tag, args.xs[3], args.c.Hist[2], args.c.Prices[0]);
	printf("%-+10.3lf|% E|%#G|%.f\n", $q, args.f12, args.g, args.w[0]);
	print(args.f12); print(args.g); print($r);
}`
	info, errs, warns := check(t, prog, floatEnv())
	if errs != "" || warns != "" {
		t.Fatalf("%s%s", errs, warns)
	}
	got := map[string]string{}
	ast.Inspect(info.Probes[0].Probe.Body, func(n ast.Node) bool {
		if e, ok := n.(ast.Expr); ok {
			if t := info.TypeOf(e); t.Kind == Float {
				got[ast.FormatNode(e)] = t.String()
			}
		}
		return true
	})
	want := map[string]string{
		"args.c->Ratio": "float32", "args.c.Price": "float64", "$r": "float32", "$p": "float64", "$q": "float64",
		"args.w[1]": "float64", "args.w[0]": "float64", "args.b.Mass": "float64", "args.b.Tag": "float32",
		"args.xs[3]": "float64", "args.c.Hist[2]": "float64", "args.c.Prices[0]": "float64",
		"args.f12": "float64", "args.g": "float32",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("float expressions (-want +got):\n%s", d)
	}
	verbs := map[Kind]int{}
	for _, ci := range info.Calls {
		for _, v := range ci.Verbs {
			verbs[v.Kind]++
		}
	}
	if verbs[Float] != 12 || len(verbs) != 1 {
		t.Errorf("printf verbs by kind: %v, want 12 floats", verbs)
	}
	for _, v := range info.Probes[0].Vars {
		if v.Type.Kind != Float {
			t.Errorf("$%s: %s, want a float", v.Name, v.Type)
		}
	}
}

// TestGoFloatErrors checks the exact diagnostics of each script in
// testdata/gofloats.txt (the format of errors.txt) against ./frontend's
// main.(*Cart).Total: floats in X registers, complex values, and every
// use of a float but printing it. `go test ./types -run GoFloatErrors
// -update` rewrites the file.
func TestGoFloatErrors(t *testing.T) {
	checkDiagnosticsFile(t, "testdata/gofloats.txt", floatEnv(), 20)
}
