package ast

import (
	"strings"
	"testing"
)

func TestFormatSample(t *testing.T) {
	got := Format(sampleProgram())
	if got != sampleSource {
		t.Errorf("Format mismatch:\n%s\n--- want ---\n%s", got, sampleSource)
	}
}

func TestFormatParens(t *testing.T) {
	a, b, c := vr("a"), vr("b"), vr("c")
	tern := func(x, y, z Expr) *Ternary { return &Ternary{Cond: x, Then: y, Else: z} }
	for _, tc := range []struct {
		x    Expr
		want string
	}{
		{bin("-", a, bin("-", b, c)), "$a - ($b - $c)"},
		{bin("-", bin("-", a, b), c), "$a - $b - $c"},
		{bin("*", bin("+", a, b), c), "($a + $b) * $c"},
		{bin("+", a, bin("*", b, c)), "$a + $b * $c"},
		{bin("||", bin("&&", a, b), c), "$a && $b || $c"},
		{bin("&&", bin("||", a, b), c), "($a || $b) && $c"},
		{bin("==", bin("&", a, b), c), "($a & $b) == $c"},
		{bin("&", bin("==", a, b), c), "$a == $b & $c"},
		{bin("<<", a, bin("+", b, c)), "$a << $b + $c"},
		{bin("+", un("-", a), un("!", b)), "-$a + !$b"},
		{un("-", bin("+", a, b)), "-($a + $b)"},
		{un("-", un("-", a)), "-(-$a)"},
		{un("-", &IncDec{Op: "--", X: a}), "-(--$a)"},
		{un("&", un("&", a)), "&(&$a)"},
		{un("*", un("*", a)), "**$a"},
		{un("!", un("-", a)), "!-$a"},
		{bin("-", a, un("-", b)), "$a - -$b"},
		{tern(a, b, tern(c, a, b)), "$a ? $b : $c ? $a : $b"},
		{tern(tern(a, b, c), a, b), "($a ? $b : $c) ? $a : $b"},
		{tern(a, tern(b, c, a), b), "$a ? ($b ? $c : $a) : $b"},
		{bin("+", tern(a, b, c), a), "($a ? $b : $c) + $a"},
		{&Ternary{Cond: bin("||", a, b), Else: c}, "$a || $b ?: $c"},
		{&Cast{Type: typ("int32"), X: bin("+", a, b)}, "(int32)($a + $b)"},
		{bin("+", &Cast{Type: typ("int32"), X: a}, b), "(int32)$a + $b"},
		{&Cast{Type: typ("uint16"), X: un("-", num(1))}, "(uint16)(-1)"},
		{&Cast{Type: typ("struct task_struct", ptr), X: id("curtask")}, "(struct task_struct *)curtask"},
		{&Field{X: &Cast{Type: typ("struct x", ptr), X: a}, Name: "f", Arrow: true}, "((struct x *)$a)->f"},
		{&Field{X: un("*", a), Name: "f"}, "(*$a).f"},
		{un("*", &Field{X: a, Name: "f"}), "*$a.f"},
		{&Index{X: bin("+", a, b), Index: bin("+", a, b)}, "($a + $b)[$a + $b]"},
		{&IncDec{Op: "++", Post: true, X: &Field{X: a, Name: "x"}}, "$a.x++"},
		{bin("+", &IncDec{Op: "++", Post: true, X: a}, &IncDec{Op: "--", X: b}), "$a++ + --$b"},
		{&Comptime{X: bin("+", a, b)}, "comptime ($a + $b)"},
		{bin("+", &Comptime{X: a}, b), "comptime $a + $b"},
		{&Field{X: &Comptime{X: a}, Name: "f"}, "(comptime $a).f"},
		{bin("+", blk(a), b), "({ $a }) + $b"},
		{bin("+", blk(a, es(a)), b), "({\n  $a;\n  $a\n}) + $b"},
		{mp("m", &Tuple{Elems: []Expr{a, b}}), "@m[($a, $b)]"},
		{mp("m", a, b), "@m[$a, $b]"},
		{mp("", a), "@[$a]"},
		{&Tuple{Elems: []Expr{a}}, "($a,)"},
		{&Tuple{}, "()"},
		{&Record{Fields: []*RecordField{{Name: "x", Value: tern(a, b, c)}}}, "(x = $a ? $b : $c)"},
		{&RangeExpr{Lo: bin("+", a, num(1)), Hi: id("ncpus")}, "($a + 1)..ncpus"},
		{&Str{Text: `"\x41\101"`, Value: "AA"}, `"\x41\101"`},
		{&Str{Text: `"stale"`, Value: "a\"b\\\x01\t"}, `"a\"b\\\x01\t"`},
		{&Str{Value: "plain"}, `"plain"`},
		{&Int{Text: "1_000", Value: 1000}, "1_000"},
		{&Int{Value: 7}, "7"},
		{&Sizeof{Type: typ("uint8", arr(-1))}, "sizeof(uint8[])"},
		{&Cast{Type: typ("int8", ptr, ptr, arr(2)), X: a}, "(int8**[2])$a"},
	} {
		if got := FormatNode(tc.x); got != tc.want {
			t.Errorf("%s: got %q, want %q", strings.TrimSpace(Dump(tc.x)), got, tc.want)
		}
	}
}

func TestFormatNodeKinds(t *testing.T) {
	for _, tc := range []struct {
		n    Node
		want string
	}{
		{assign(mp("x"), "<<=", num(1)), "@x <<= 1;"},
		{&LetStmt{Var: vr("x")}, "let $x;"},
		{&JumpStmt{Kind: "return"}, "return;"},
		{es(blk(nil)), "{}"},
		{&MapDecl{Map: mp("a"), Kind: "lruhash", MaxEntries: 5}, "let @a = lruhash(5);"},
		{&Config{}, "config = {}"},
		{&Macro{Name: "m", Body: blk(nil)}, "macro m()\n{}"},
		{&Subprog{Name: "g", Body: blk(nil)}, "fn g()\n{}"},
		{typ("int32", ptr, arr(4)), "int32*[4]"},
		{&Param{Var: vr("a"), Type: typ("string")}, "$a: string"},
		{&Comment{Text: "/* x */"}, "/* x */"},
		{&Probe{AttachPoints: []*AttachPoint{ap("BEGIN", "begin")}, Body: blk(nil, es(call("exit")))}, "BEGIN\n{\n  exit();\n}"},
		{&IfStmt{Cond: vr("a"), Then: blk(nil), Else: es(call("f"))}, "if ($a) {} else {\n  f();\n}"},
	} {
		if got := FormatNode(tc.n); got != tc.want {
			t.Errorf("%T: got %q, want %q", tc.n, got, tc.want)
		}
	}
}
