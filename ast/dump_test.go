package ast

import (
	"reflect"
	"strings"
	"testing"
)

func TestDumpSmall(t *testing.T) {
	p := &Probe{
		AttachPoints: []*AttachPoint{ap(`uprobe:./x:main.f`, "uprobe", "./x", "main.f")},
		Pred:         bin("==", id("pid"), num(1)),
		Body: blk(nil, es(call("printf", str("%d\n"), &Int{Text: "0x10", Value: 16})),
			es(&IncDec{Op: "++", Post: true, X: mp("", vr("k"))})),
	}
	want := `probe
  attach uprobe (uprobe) "uprobe:./x:main.f" parts=["./x" "main.f"]
  pred
    binary ==
      ident pid
      int 1
  block
    expr
      call printf
        str "%d\n"
        int "0x10" value=16
    expr
      incdec post ++
        map @ keys=1
          var $k
`
	if got := Dump(p); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if got := Dump(nil); got != "<nil>\n" {
		t.Errorf("Dump(nil) = %q", got)
	}
}

// eachSpan calls f on every Span reachable from v.
func eachSpan(v reflect.Value, f func(*Span)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			eachSpan(v.Elem(), f)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			eachSpan(v.Index(i), f)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[Span]() {
			f(v.Addr().Interface().(*Span))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			eachSpan(v.Field(i), f)
		}
	}
}

// eachLeaf calls f with a mutator for every scalar field reachable from v
// outside spans; the mutator changes the field and returns an undo.
func eachLeaf(v reflect.Value, path string, f func(path string, mutate func() (undo func()))) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			eachLeaf(v.Elem(), path, f)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			eachLeaf(v.Index(i), path+"[]", f)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[Span]() {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if m, ok := v.Interface().(TypeMod); ok && m.Ptr && v.Type().Field(i).Name == "Len" {
				continue // unused for pointers
			}
			eachLeaf(v.Field(i), path+"."+v.Type().Name()+"."+v.Type().Field(i).Name, f)
		}
	case reflect.String, reflect.Bool, reflect.Int, reflect.Uint64:
		f(path, func() func() {
			old := reflect.ValueOf(v.Interface())
			switch v.Kind() {
			case reflect.String:
				v.SetString(v.String() + "x")
			case reflect.Bool:
				v.SetBool(!v.Bool())
			case reflect.Int:
				v.SetInt(v.Int() + 1)
			case reflect.Uint64:
				v.SetUint(v.Uint() + 1)
			}
			return func() { v.Set(old) }
		})
	}
}

func TestDumpIgnoresPositions(t *testing.T) {
	prog := sampleProgram()
	want := Dump(prog)
	n := 0
	eachSpan(reflect.ValueOf(prog), func(s *Span) {
		n++
		*s = Span{Lead: Pos{n, n, n}, Start: Pos{n + 1, n, n + 1}, End: Pos{n + 7, n + 1, 3}}
	})
	if n < 100 {
		t.Fatalf("only %d spans found", n)
	}
	if got := Dump(prog); got != want {
		t.Errorf("dump changed with positions:\n%s\nvs\n%s", got, want)
	}
}

func TestDumpShowsEveryField(t *testing.T) {
	prog := sampleProgram()
	base := Dump(prog)
	count := 0
	eachLeaf(reflect.ValueOf(prog), "Program", func(path string, mutate func() func()) {
		count++
		undo := mutate()
		if Dump(prog) == base {
			t.Errorf("changing %s does not change the dump", path)
		}
		undo()
	})
	if Dump(prog) != base {
		t.Fatal("undo failed")
	}
	if count < 100 {
		t.Errorf("only %d fields mutated", count)
	}
	// Structural differences show too.
	for name, mod := range map[string]func(*Program){
		"no probe":        func(p *Program) { p.Decls = p.Decls[:len(p.Decls)-1] },
		"scalar map keys": func(p *Program) { p.Decls[4].(*MapDecl).Map.Keys = []Expr{} },
		"let without value": func(p *Program) {
			p.Decls[7].(*Probe).Body.Stmts[3].(*LetStmt).Value = nil
		},
		"no predicate": func(p *Program) { p.Decls[7].(*Probe).Pred = nil },
	} {
		p := sampleProgram()
		mod(p)
		if Dump(p) == base {
			t.Errorf("%s: dump unchanged", name)
		}
	}
	if !strings.Contains(base, "type \"int32\"*[4]") || !strings.Contains(base, "quoted:\"main.f\"") {
		t.Errorf("dump lacks type mods or quoted parts:\n%s", base)
	}
}
