package parser

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gobpftrace/gobpftrace/ast"
)

// sx renders an expression as a compact s-expression for table tests.
func sx(e ast.Node) string {
	switch n := e.(type) {
	case nil:
		return "nil"
	case *ast.Ident:
		return n.Name
	case *ast.Int:
		return fmt.Sprint(n.Value)
	case *ast.Str:
		return fmt.Sprintf("%q", n.Value)
	case *ast.Bool:
		return fmt.Sprint(n.Value)
	case *ast.PositionalParam:
		return fmt.Sprintf("$%d", n.N)
	case *ast.ParamCount:
		return "$#"
	case *ast.Var:
		return "$" + n.Name
	case *ast.Map:
		if n.Keys == nil {
			return "@" + n.Name
		}
		return "(@" + n.Name + " " + list(n.Keys) + ")"
	case *ast.Call:
		b := ""
		if n.Bang {
			b = "!"
		}
		return "(call " + n.Name + b + " " + list(n.Args) + ")"
	case *ast.Unary:
		return "(" + n.Op + " " + sx(n.X) + ")"
	case *ast.IncDec:
		if n.Post {
			return "(post" + n.Op + " " + sx(n.X) + ")"
		}
		return "(" + n.Op + " " + sx(n.X) + ")"
	case *ast.Binary:
		return "(" + n.Op + " " + sx(n.X) + " " + sx(n.Y) + ")"
	case *ast.Ternary:
		return "(? " + sx(n.Cond) + " " + sx(n.Then) + " " + sx(n.Else) + ")"
	case *ast.Cast:
		return "(cast " + sx(n.Type) + " " + sx(n.X) + ")"
	case *ast.Type:
		s := n.Base
		if n.Typeof != nil {
			s += "(" + sx(n.Typeof) + ")"
		}
		for _, m := range n.Mods {
			if m.Ptr {
				s += "*"
			} else {
				s += fmt.Sprintf("[%d]", m.Len)
			}
		}
		return s
	case *ast.Field:
		op := "."
		if n.Arrow {
			op = "->"
		}
		return "(" + op + " " + sx(n.X) + " " + n.Name + ")"
	case *ast.Index:
		return "(index " + sx(n.X) + " " + sx(n.Index) + ")"
	case *ast.Tuple:
		return "(tuple " + list(n.Elems) + ")"
	case *ast.Record:
		var f []string
		for _, x := range n.Fields {
			f = append(f, x.Name+"="+sx(x.Value))
		}
		return "(record " + strings.Join(f, " ") + ")"
	case *ast.Block:
		return fmt.Sprintf("(block %d %s)", len(n.Stmts), sx(n.Value))
	case *ast.Sizeof:
		if n.Type != nil {
			return "(sizeof type " + sx(n.Type) + ")"
		}
		return "(sizeof " + sx(n.X) + ")"
	case *ast.Offsetof:
		if n.Type != nil {
			return "(offsetof type " + sx(n.Type) + " " + strings.Join(n.Field, ".") + ")"
		}
		return "(offsetof " + sx(n.X) + " " + strings.Join(n.Field, ".") + ")"
	case *ast.Typeinfo:
		if n.Type != nil {
			return "(typeinfo type " + sx(n.Type) + ")"
		}
		return "(typeinfo " + sx(n.X) + ")"
	case *ast.Comptime:
		return "(comptime " + sx(n.X) + ")"
	case *ast.RangeExpr:
		return "(.. " + sx(n.Lo) + " " + sx(n.Hi) + ")"
	}
	return fmt.Sprintf("%T", e)
}

func list(es []ast.Expr) string {
	var s []string
	for _, e := range es {
		s = append(s, sx(e))
	}
	return strings.Join(s, " ")
}

func TestExpressions(t *testing.T) {
	tests := []struct{ in, want string }{
		{`1 + 2 * 3`, `(+ 1 (* 2 3))`},
		{`1 - 2 - 3`, `(- (- 1 2) 3)`},
		{`a || b && c | d ^ e & f == g < h << i + j * k`, `(|| a (&& b (| c (^ d (& e (== f (< g (<< h (+ i (* j k))))))))))`},
		{`-x * !y`, `(* (- x) (! y))`},
		{`*$p + &$q`, `(+ (* $p) (& $q))`},
		{`~$x % 3`, `(% (~ $x) 3)`},
		{`$a ? 1 : $b ? 2 : 3`, `(? $a 1 (? $b 2 3))`},
		{`$a ?: 5`, `(? $a nil 5)`},
		{`$x++`, `(post++ $x)`},
		{`--@y`, `(-- @y)`},
		{`@m[1, "a"]`, `(@m 1 "a")`},
		{`@m[(1, 2)]`, `(@m (tuple 1 2))`},
		{`@`, `@`},
		{`args->filename`, `(-> args filename)`},
		{`args.filename`, `(. args filename)`},
		{`$t.0`, `(. $t 0)`},
		{`$a[3].b->c`, `(-> (. (index $a 3) b) c)`},
		{`(1,)`, `(tuple 1)`},
		{`()`, `(tuple )`},
		{`(1, "a", $x)`, `(tuple 1 "a" $x)`},
		{`(a=1, b=2)`, `(record a=1 b=2)`},
		{`(1 + 2) * 3`, `(* (+ 1 2) 3)`},
		{`(int8)$x`, `(cast int8 $x)`},
		{`(struct task_struct *)curtask`, `(cast struct task_struct* curtask)`},
		{`(uint8[8])$x`, `(cast uint8[8] $x)`},
		{`(int8[])$x`, `(cast int8[-1] $x)`},
		{`(int32*[4])arg0`, `(cast int32*[4] arg0)`},
		{`(typeof($x))$y`, `(cast typeof($x) $y)`},
		{`(uint64)-1`, `(cast uint64 (- 1))`},
		{`(x) - 1`, `(- x 1)`},
		{`sizeof(struct foo)`, `(sizeof type struct foo)`},
		{`sizeof($x)`, `(sizeof $x)`},
		{`offsetof(struct foo, a.b)`, `(offsetof type struct foo a.b)`},
		{`typeinfo(int32)`, `(typeinfo type int32)`},
		{`comptime $x + 1`, `(+ (comptime $x) 1)`},
		{`$1 + $#`, `(+ $1 $#)`},
		{`true && false`, `(&& true false)`},
		{`printf("%d\n", pid)`, `(call printf "%d\n" pid)`},
		{`my_macro!(1)`, `(call my_macro! 1)`},
		{`{ $a = 1; $a + 1 }`, `(block 1 (+ $a 1))`},
		{`0x10 + 010 + 1_000 + 5UL + 1e6`, `(+ (+ (+ (+ 16 8) 1000) 5) 1000000)`},
		{`10ms + 1s + 2m + 1d + 3us + 4ns + 1h`, `(+ (+ (+ (+ (+ (+ 10000000 1000000000) 120000000000) 86400000000000) 3000) 4) 3600000000000)`},
		{`"a\tb\x41\101\"\\"`, `"a\tbAA\"\\"`},
	}
	for _, tt := range tests {
		src := "BEGIN { _ = " + tt.in + "; }"
		prog, err := Parse("t.bt", src)
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		got := sx(prog.Decls[0].(*ast.Probe).Body.Stmts[0].(*ast.DiscardStmt).X)
		if got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}

// parseOK parses src and fails the test on error.
func parseOK(t *testing.T, src string) *ast.Program {
	t.Helper()
	prog, err := Parse("t.bt", src)
	if err != nil {
		var b strings.Builder
		ast.PrintError(&b, src, err)
		t.Fatalf("%s\n%s", src, b.String())
	}
	return prog
}

func TestStatements(t *testing.T) {
	tests := []struct{ in, want string }{
		{`$x = 1;`, "assign ="},
		{`@x[1] += 2;`, "assign +="},
		{`$x <<= 2;`, "assign <<="},
		{`let $x;`, "let"},
		{`let $x: uint8 = 1;`, "let"},
		{`if ($x) { } else if $y { } else { }`, "if"},
		{`while ($i < 10) { $i++; }`, "while"},
		{`while $i < 10 { break; }`, "while"},
		{`unroll (5) { continue; }`, "unroll"},
		{`for ($kv : @m) { }`, "for"},
		{`for ($i : 0..10) { }`, "for"},
		{`for $i : 0..$n { }`, "for"},
		{`return;`, "return"},
		{`return 1;`, "return"},
		{`_ = f();`, "discard"},
		{`{ $x = 1; }`, "block"},
		{`import "x.bt";`, "import"},
		{`printf("hi") `, "call printf"},
	}
	for _, tt := range tests {
		src := "BEGIN { " + tt.in + " }"
		prog := parseOK(t, src)
		if d := ast.Dump(prog); !strings.Contains(d, tt.want) {
			t.Errorf("%s: dump lacks %q:\n%s", tt.in, tt.want, d)
		}
	}
}

func TestTopLevel(t *testing.T) {
	src := `#!/usr/bin/env bpftrace
#include <linux/sched.h>
#define X 1
struct foo { int a; char name[16]; struct bar *next; unsigned int flags : 3; };
enum color { RED, GREEN = 2 };
config = { max_map_keys = 100; print_maps_on_exit = false }
import "lib.bt";
let @m = lruhash(100);
macro add($a, b, @c) { $a + b }
fn sq($x: int64): int64 { return $x * $x; }
name=kprobe:tcp_*, k:mod:func, uprobe:./bin:"main.(*T).M",
  uprobe:/lib/libc.so.6:malloc+0x10 /pid == $1/ { @[comm] = count(); }
interval:s:1, profile:hz:99, uprobe:bin:cpp:"ns::f", uprobe:$1:func, hardware:cache-misses:1e6, iter:task, fentry:vmlinux:tcp_reset, self:signal:SIGUSR1, watchpoint:0x1000:8:rw, t:syscalls:sys_enter_*, U:/p:prov:probe { }
`
	prog := parseOK(t, src)
	if prog.Shebang != "#!/usr/bin/env bpftrace" {
		t.Errorf("shebang %q", prog.Shebang)
	}
	kinds := []string{}
	for _, d := range prog.Decls {
		kinds = append(kinds, fmt.Sprintf("%T", d))
	}
	want := "*ast.CPreproc *ast.CPreproc *ast.CDefinition *ast.CDefinition *ast.Config *ast.Import *ast.MapDecl *ast.Macro *ast.Subprog *ast.Probe *ast.Probe"
	if got := strings.Join(kinds, " "); got != want {
		t.Fatalf("decls %s\nwant  %s", got, want)
	}
	st := prog.Decls[2].(*ast.CDefinition)
	var fields []string
	for _, f := range st.Fields {
		fields = append(fields, fmt.Sprintf("%s|%s|%v|%d", f.Type, f.Name, f.Dims, f.Bits))
	}
	if got := strings.Join(fields, " "); got != "int|a|[]|0 char|name|[16]|0 struct bar *|next|[]|0 unsigned int|flags|[]|3" {
		t.Errorf("struct fields: %s", got)
	}
	en := prog.Decls[3].(*ast.CDefinition)
	if en.Kind != "enum" || len(en.Fields) != 2 || en.Fields[1].Value != "2" {
		t.Errorf("enum: %+v", en)
	}
	cfg := prog.Decls[4].(*ast.Config)
	if len(cfg.Items) != 2 || cfg.Items[1].Key != "print_maps_on_exit" {
		t.Errorf("config: %s", ast.Dump(cfg))
	}
	md := prog.Decls[6].(*ast.MapDecl)
	if md.Kind != "lruhash" || md.MaxEntries != 100 || md.Map.Name != "m" {
		t.Errorf("map decl: %+v", md)
	}
	p1 := prog.Decls[9].(*ast.Probe)
	if p1.Name != "name" || p1.Pred == nil {
		t.Errorf("probe name %q pred %v", p1.Name, p1.Pred)
	}
	var aps []string
	for _, p := range []*ast.Probe{p1, prog.Decls[10].(*ast.Probe)} {
		for _, ap := range p.AttachPoints {
			aps = append(aps, fmt.Sprintf("%s%q%v", ap.Provider, ap.Parts, ap.Quoted))
		}
	}
	wantAPs := []string{
		`kprobe["tcp_*"][false]`,
		`kprobe["mod" "func"][false false]`,
		`uprobe["./bin" "main.(*T).M"][false true]`,
		`uprobe["/lib/libc.so.6" "malloc+0x10"][false false]`,
		`interval["s" "1"][false false]`,
		`profile["hz" "99"][false false]`,
		`uprobe["bin" "cpp" "ns::f"][false false true]`,
		`uprobe["$1" "func"][false false]`,
		`hardware["cache-misses" "1e6"][false false]`,
		`iter["task"][false]`,
		`fentry["vmlinux" "tcp_reset"][false false]`,
		`self["signal" "SIGUSR1"][false false]`,
		`watchpoint["0x1000" "8" "rw"][false false false]`,
		`tracepoint["syscalls" "sys_enter_*"][false false]`,
		`usdt["/p" "prov" "probe"][false false false]`,
	}
	if got, want := strings.Join(aps, "\n"), strings.Join(wantAPs, "\n"); got != want {
		t.Errorf("attach points:\n%s\nwant:\n%s", got, want)
	}
	if len(prog.Comments) != 0 {
		t.Errorf("comments: %d", len(prog.Comments))
	}
}

func TestComments(t *testing.T) {
	src := "// a\nBEGIN { /* b */ $x = 1; // c\n}\n"
	prog := parseOK(t, src)
	var got []string
	for _, c := range prog.Comments {
		got = append(got, fmt.Sprintf("%s@%d:%d-%d", c.Text, c.Span.Start.Line, c.Span.Start.Col, c.Span.End.Col))
	}
	if s := strings.Join(got, " "); s != "// a@1:1-5 /* b */@2:9-16 // c@2:25-29" {
		t.Errorf("comments %s", s)
	}
}

func TestInvalidProvider(t *testing.T) {
	src := "foo:bar { exit(); }\n"
	if got, want := printed("t.bt", src), "t.bt:1:1-4: ERROR: Invalid provider: 'foo'\nfoo:bar { exit(); }\n~~~\n"; got != want {
		t.Errorf("got %q want %q", got, want)
	}
}
