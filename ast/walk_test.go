package ast

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// Constructors for hand-built trees (the parser package cannot be imported
// here: it imports ast).

func id(name string) *Ident       { return &Ident{Name: name} }
func num(v uint64) *Int           { return &Int{Text: strconv.FormatUint(v, 10), Value: v} }
func str(v string) *Str           { return &Str{Text: strconv.Quote(v), Value: v} }
func vr(name string) *Var         { return &Var{Name: name} }
func es(x Expr) *ExprStmt         { return &ExprStmt{X: x} }
func un(op string, x Expr) *Unary { return &Unary{Op: op, X: x} }
func mp(name string, keys ...Expr) *Map {
	return &Map{Name: name, Keys: keys}
}
func call(name string, args ...Expr) *Call { return &Call{Name: name, Args: args} }
func bin(op string, x, y Expr) *Binary     { return &Binary{Op: op, X: x, Y: y} }
func assign(target Expr, op string, v Expr) *AssignStmt {
	return &AssignStmt{Target: target, Op: op, Value: v}
}
func blk(value Expr, stmts ...Stmt) *Block { return &Block{Stmts: stmts, Value: value} }
func typ(base string, mods ...TypeMod) *Type {
	return &Type{Base: base, Mods: mods}
}

var ptr = TypeMod{Ptr: true}

func arr(n int) TypeMod { return TypeMod{Len: n} }

func ap(raw, provider string, parts ...string) *AttachPoint {
	return &AttachPoint{Raw: raw, Provider: provider, ProviderText: provider, Parts: parts, Quoted: make([]bool, len(parts))}
}

// sampleProgram builds a program holding every node type; sampleSource is
// its canonical formatting.
func sampleProgram() *Program {
	uprobe := ap(`uprobe:./x:"main.f"`, "uprobe", "./x", "main.f")
	uprobe.Quoted[1] = true
	body := blk(nil,
		&Import{Path: "inner.bt"},
		assign(mp("m", id("comm"), id("tid")), "=", call("count")),
		assign(vr("x"), "=", &Cast{Type: typ("int32", ptr, arr(4)), X: id("arg0")}),
		&LetStmt{Var: vr("y"), Type: typ("uint8"), Value: un("-", num(1))},
		&DiscardStmt{X: un("!", &Bool{Value: true})},
		assign(vr("t"), "=", &Tuple{Elems: []Expr{
			num(1), &Str{Text: `"a\n"`, Value: "a\n"},
			&Tuple{Elems: []Expr{vr("x")}},
			&Record{Fields: []*RecordField{{Name: "a", Value: num(1)}, {Name: "b", Value: &Tuple{}}}},
		}}),
		es(&IncDec{Op: "++", Post: true, X: vr("x")}),
		es(&IncDec{Op: "--", X: vr("x")}),
		&IfStmt{
			Cond: &Ternary{Cond: bin(">", vr("x"), num(0)), Then: vr("x"), Else: num(1)},
			Then: blk(nil, es(call("print", &Field{X: vr("t"), Name: "0"}))),
			Else: &IfStmt{
				Cond: &Ternary{Cond: vr("x"), Else: num(2)},
				Then: blk(nil, &JumpStmt{Kind: "break"}),
				Else: blk(nil, &JumpStmt{Kind: "continue"}),
			},
		},
		&UnrollStmt{Count: num(3), Body: blk(nil,
			assign(vr("s"), "=", bin("+", bin("+", bin("+",
				&Sizeof{Type: typ("struct foo")},
				&Sizeof{X: vr("x")}),
				&Offsetof{Type: typ("struct foo"), Field: []string{"a", "b"}}),
				&Offsetof{X: vr("x"), Field: []string{"c"}})),
		)},
		&WhileStmt{Cond: bin("<", vr("i"), num(10)), Body: blk(nil, assign(vr("i"), "+=", num(1)))},
		&ForStmt{Var: vr("kv"), Iter: mp("m"), Body: blk(nil, es(call("print", vr("kv"))))},
		&ForStmt{Var: vr("i"), Iter: &RangeExpr{Lo: num(0), Hi: num(10)}, Body: blk(nil,
			assign(vr("z"), "=", bin("+",
				&Comptime{X: &Typeinfo{Type: typ("int8")}},
				&Call{Name: "add", Bang: true, Args: []Expr{num(1), &Typeinfo{X: vr("z")}}})),
		)},
		assign(vr("v"), "=", blk(
			&Index{X: &Field{X: vr("q"), Name: "f", Arrow: true}, Index: num(1)},
			&LetStmt{Var: vr("q"), Type: &Type{Base: "typeof", Typeof: vr("x")}, Value: un("~", vr("x"))},
		)),
	)
	return &Program{
		Filename: "sample.bt",
		Shebang:  "#!/usr/bin/env bpftrace",
		Decls: []Decl{
			&CPreproc{Text: "#include <linux/sched.h>"},
			&CDefinition{Kind: "struct", Name: "foo", Text: "struct foo { int a; char b[4]; };", Fields: []*CField{
				{Type: "int", Name: "a"}, {Type: "char", Name: "b", Dims: []int{4}},
			}},
			&Config{Items: []*ConfigItem{
				{Key: "max_map_keys", Value: num(8192)},
				{Key: "stack_mode", Value: id("perf")},
			}},
			&Import{Path: "lib.bt"},
			&MapDecl{Map: mp("m"), Kind: "hash", MaxEntries: 100},
			&Macro{Name: "add", Params: []Expr{id("x"), vr("y"), mp("z")},
				Body: blk(bin("+", id("x"), vr("y")))},
			&Subprog{Name: "f",
				Params: []*Param{{Var: vr("a"), Type: typ("int32")}, {Var: vr("b"), Type: typ("struct foo", ptr)}},
				Result: typ("int64"),
				Body:   blk(nil, &JumpStmt{Kind: "return", Value: bin("+", vr("a"), num(1))})},
			&Probe{Name: "name",
				AttachPoints: []*AttachPoint{ap("kprobe:f", "kprobe", "f"), uprobe},
				Pred:         bin("&&", bin("==", id("pid"), &PositionalParam{N: 1}), bin(">", &ParamCount{}, num(0))),
				Body:         body},
		},
		Comments: []*Comment{{Text: "// the end", Span: Span{Start: Pos{Offset: 1000, Line: 100, Col: 1}}}},
	}
}

const sampleSource = `#!/usr/bin/env bpftrace

#include <linux/sched.h>

struct foo { int a; char b[4]; };

config = {
  max_map_keys = 8192;
  stack_mode = perf;
}

import "lib.bt";

let @m = hash(100);

macro add(x, $y, @z)
{
  x + $y
}

fn f($a: int32, $b: struct foo *): int64
{
  return $a + 1;
}

name=kprobe:f,
uprobe:./x:"main.f"
/pid == $1 && $# > 0/
{
  import "inner.bt";
  @m[comm, tid] = count();
  $x = (int32*[4])arg0;
  let $y: uint8 = -1;
  _ = !true;
  $t = (1, "a\n", ($x,), (a = 1, b = ()));
  $x++;
  --$x;
  if ($x > 0 ? $x : 1) {
    print($t.0);
  } else if ($x ?: 2) {
    break;
  } else {
    continue;
  }
  unroll (3) {
    $s = sizeof(struct foo) + sizeof($x) + offsetof(struct foo, a.b) + offsetof($x, c);
  }
  while ($i < 10) {
    $i += 1;
  }
  for ($kv : @m) {
    print($kv);
  }
  for ($i : 0..10) {
    $z = comptime typeinfo(int8) + add!(1, typeinfo($z));
  }
  $v = {
    let $q: typeof($x) = ~$x;
    $q->f[1]
  };
}

// the end
`

// nodeTypes lists the node types the package declares: every type with a
// Range method, read from the package's own source.
func nodeTypes(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var names []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Name.Name != "Range" {
				continue
			}
			if star, ok := fn.Recv.List[0].Type.(*ast.StarExpr); ok {
				names = append(names, star.X.(*ast.Ident).Name)
			}
		}
	}
	sort.Strings(names)
	if len(names) < 40 {
		t.Fatalf("found only %d node types: %v", len(names), names)
	}
	return names
}

func typeName(n Node) string { return reflect.TypeOf(n).Elem().Name() }

func TestInspectVisitsEveryNodeType(t *testing.T) {
	seen := map[Node]int{}
	types := map[string]bool{}
	prog := sampleProgram()
	Inspect(prog, func(n Node) bool {
		if n != nil {
			seen[n]++
			types[typeName(n)] = true
		}
		return true
	})
	for n, c := range seen {
		if c != 1 {
			t.Errorf("%T visited %d times", n, c)
		}
	}
	for _, name := range nodeTypes(t) {
		if !types[name] {
			t.Errorf("node type %s not visited: add it to sampleProgram and to Walk", name)
		}
	}
	// Every node reachable through any field must be visited too, so a new
	// child field that Walk ignores fails here.
	reachable(reflect.ValueOf(prog), func(n Node) {
		if seen[n] == 0 {
			t.Errorf("%T reachable by reflection but not visited by Walk", n)
		}
	})
}

var nodeType = reflect.TypeFor[Node]()

// reachable calls f on every node reachable from v through struct fields,
// slices and interfaces.
func reachable(v reflect.Value, f func(Node)) {
	switch v.Kind() {
	case reflect.Interface:
		if !v.IsNil() {
			reachable(v.Elem(), f)
		}
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		if v.Type().Implements(nodeType) {
			f(v.Interface().(Node))
		}
		reachable(v.Elem(), f)
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			reachable(v.Index(i), f)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			reachable(v.Field(i), f)
		}
	}
}

// TestWalkOrder checks the visiting order and that every Visit(n) is
// closed by a Visit(nil).
func TestWalkOrder(t *testing.T) {
	prog := &Program{Decls: []Decl{&Probe{
		AttachPoints: []*AttachPoint{ap("kprobe:f", "kprobe", "f")},
		Pred:         bin("==", id("pid"), num(1)),
		Body: blk(nil,
			&IfStmt{Cond: vr("c"), Then: blk(nil), Else: &IfStmt{Cond: &Ternary{Cond: vr("d"), Then: num(2), Else: num(3)}, Then: blk(nil)}},
			&LetStmt{Var: vr("x"), Type: &Type{Base: "typeof", Typeof: mp("m", str("k"))}, Value: &Cast{Type: typ("int8"), X: num(4)}},
			&ForStmt{Var: vr("i"), Iter: &RangeExpr{Lo: num(5), Hi: num(6)}, Body: blk(id("v"))},
		),
	}}, Comments: []*Comment{{Text: "//c"}}}
	var got []string
	depth := 0
	var v visitFunc
	v = func(n Node) Visitor {
		if n == nil {
			depth--
			return nil
		}
		depth++
		label := typeName(n)
		switch n := n.(type) {
		case *Ident:
			label += " " + n.Name
		case *Var:
			label += " " + n.Name
		case *Int:
			label += " " + n.Text
		}
		got = append(got, label)
		return v
	}
	Walk(v, prog)
	if depth != 0 {
		t.Errorf("unbalanced Visit(nil) calls: depth %d", depth)
	}
	want := "Program Probe AttachPoint Binary Ident pid Int 1 Block " +
		"IfStmt Var c Block IfStmt Ternary Var d Int 2 Int 3 Block " +
		"LetStmt Var x Type Map Str Cast Type Int 4 " +
		"ForStmt Var i RangeExpr Int 5 Int 6 Block Ident v Comment"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("order:\n got %s\nwant %s", g, want)
	}
}

type visitFunc func(Node) Visitor

func (f visitFunc) Visit(n Node) Visitor { return f(n) }

func TestInspectPrunes(t *testing.T) {
	count := 0
	Inspect(sampleProgram(), func(n Node) bool {
		if n != nil {
			count++
		}
		_, isDecl := n.(Decl)
		return !isDecl
	})
	if count != 1+8+1 { // program, 8 decls (not entered), comment
		full := 0
		Inspect(sampleProgram(), func(n Node) bool { full++; return true })
		t.Errorf("visited %d nodes with declarations pruned (full walk: %d)", count, full)
	}
	Walk(visitFunc(func(Node) Visitor { return nil }), nil) // no panic on nil
}
