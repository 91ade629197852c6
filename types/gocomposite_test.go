package types

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/goabi"
)

// shipFunc describes a main.IsValid(t Temp, m Money, p *Money,
// sl []int32, err error, a [20]uint8, big Big, deep Deep, wide Wide),
// placed by the amd64 register ABI: t.C in X0, t.Ok and t.Where in
// RAX-RCX, m in RDI-R9, p in R10, and the rest (sl and err do not fit in
// R11) on the stack. Big has 17x17 ints, Deep nests arrays ten deep, Wide
// has 40 strings.
func shipFunc() *goabi.Func {
	money := goabi.StructType("main.Money",
		goabi.Field{Name: "Units", Type: goabi.IntType(8)},
		goabi.Field{Name: "Nanos", Type: goabi.IntType(4)},
		goabi.Field{Name: "CurrencyCode", Type: goabi.StringType()})
	temp := goabi.StructType("main.Temp",
		goabi.Field{Name: "C", Type: goabi.FloatType(8)},
		goabi.Field{Name: "Ok", Type: goabi.BoolType()},
		goabi.Field{Name: "Where", Type: goabi.StringType()})
	big := goabi.StructType("main.Big", goabi.Field{Name: "M", Type: goabi.ArrayType(17, goabi.ArrayType(17, goabi.IntType(8)))})
	var deep *goabi.Type = goabi.IntType(1)
	for range 10 {
		deep = goabi.ArrayType(1, deep)
	}
	var strs []goabi.Field
	for i := range 40 {
		strs = append(strs, goabi.Field{Name: fmt.Sprintf("S%d", i), Type: goabi.StringType()})
	}
	names := []string{"t", "m", "p", "sl", "err", "a", "big", "deep", "wide"}
	params := []*goabi.Type{temp, money, goabi.PointerTo(money), goabi.SliceType(goabi.IntType(4)), goabi.InterfaceType("error"),
		goabi.ArrayType(20, goabi.UintType(1)), big, goabi.StructType("main.Deep", goabi.Field{Name: "D", Type: deep}),
		goabi.StructType("main.Wide", strs...)}
	in, _, _ := goabi.AssignFunc("amd64", params, nil)
	f := &goabi.Func{Name: "main.IsValid"}
	for i, n := range names {
		f.Params = append(f.Params, &goabi.Param{Name: n, Type: params[i], Loc: in[i]})
	}
	return f
}

func shipConfig() *Config {
	return &Config{Env: goEnv(&StaticGo{Funcs: map[string]*goabi.Func{"main.IsValid": shipFunc()}})}
}

// TestGoCompositeShapes: print and printf's %s take whole Go composites,
// expanded into leaves (#N) in field order; a float in X0 is "?", arrays
// stop at MaxGoElems, a pointer to a struct is &{...}, slices and
// interfaces are their words; a value past MaxGoLeaves or MaxGoRecord
// keeps what fits and "..." for the rest.
func TestGoCompositeShapes(t *testing.T) {
	prog := `uprobe:./frontend:main.IsValid {
	print(args.m); print(args.p); print(args.sl); print(args.err); print(args.t); print(args.a);
	printf("%s %s\n", args.m, args.p);
	print(args.m.Units); print(args.p.Nanos); print(args.big); print(args.wide);
}`
	info, errs, warns := check(t, prog, shipConfig())
	if errs != "" || warns != "" {
		t.Fatalf("%s%s", errs, warns)
	}
	got := map[string]string{}
	for e, c := range info.GoComposites {
		k := ast.FormatNode(e)
		got[k] += c.Shape.String() + fmt.Sprintf(" %d leaves %d bytes;", len(c.Leaves), c.Record.Size)
	}
	want := map[string]string{
		"args.m":   "{Units:#0 Nanos:#1 CurrencyCode:#2} 3 leaves 80 bytes;{Units:#0 Nanos:#1 CurrencyCode:#2} 3 leaves 80 bytes;",
		"args.p":   "&#0{Units:#1 Nanos:#2 CurrencyCode:#3} 4 leaves 88 bytes;&#0{Units:#1 Nanos:#2 CurrencyCode:#3} 4 leaves 88 bytes;",
		"args.sl":  "[len=#0 cap=#1 #2: #3 #4 #5 #6 #7 #8 #9 #10] 11 leaves 88 bytes;",
		"args.err": "{tab:#0 data:#1} 2 leaves 16 bytes;",
		"args.t":   "{C:? Ok:#0 Where:#1} 2 leaves 72 bytes;",
		"args.a":   "[#0 #1 #2 #3 #4 #5 #6 #7 #8 #9 #10 #11 #12 #13 #14 #15 ...] 16 leaves 128 bytes;",
	}
	// Past the limits: the first 64 leaves of Big's 17x17 ints (four rows
	// of 16), the first 32 of Wide's 40 strings (64 bytes each, 2048 in
	// all), then "...".
	var rows []string
	for r := range 4 {
		var cells []string
		for c := range 16 {
			cells = append(cells, fmt.Sprintf("#%d", 16*r+c))
		}
		rows = append(rows, "["+strings.Join(cells, " ")+" ...]")
	}
	want["args.big"] = "{M:[" + strings.Join(rows, " ") + " ...]} 64 leaves 512 bytes;"
	var fields []string
	for i := range 32 {
		fields = append(fields, fmt.Sprintf("S%d:#%d", i, i))
	}
	want["args.wide"] = "{" + strings.Join(fields, " ") + " ...} 32 leaves 2048 bytes;"
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("composites (-want +got):\n%s", d)
	}
	// Leaves are typed for the record: Nanos an int32, the string 64
	// bytes, a bool one unsigned byte.
	for e, c := range info.GoComposites {
		if ast.FormatNode(e) == "args.m" {
			if s := fmt.Sprint(c.Leaves[1].Type, c.Leaves[2].Type, c.Leaves[2].Offset); s != "int32 string[64] 16" {
				t.Errorf("args.m leaves: %s", s)
			}
		}
		if ast.FormatNode(e) == "args.t" && c.Leaves[0].Type.String() != "unsigned int8" {
			t.Errorf("args.t.Ok leaf: %s", c.Leaves[0].Type)
		}
	}
}

// TestGoCompositeErrors checks the exact diagnostics of each script in
// testdata/gocomposites.txt against ./frontend's main.IsValid: the depth
// limit, and composites where printf wants a number.
// `go test ./types -run GoCompositeErrors -update` rewrites the file.
func TestGoCompositeErrors(t *testing.T) {
	checkDiagnosticsFile(t, "testdata/gocomposites.txt", shipConfig(), 3)
}
