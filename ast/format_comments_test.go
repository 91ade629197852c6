package ast

import (
	"strings"
	"testing"
)

// locator finds spans of substrings in a source text, left to right.
type locator struct {
	src string
	at  int
}

func (l *locator) pos(off int) Pos {
	line := 1 + strings.Count(l.src[:off], "\n")
	col := off - strings.LastIndex(l.src[:off], "\n")
	return Pos{Offset: off, Line: line, Col: col}
}

// span returns the span of the next occurrence of sub.
func (l *locator) span(t *testing.T, sub string) Span {
	t.Helper()
	i := strings.Index(l.src[l.at:], sub)
	if i < 0 {
		t.Fatalf("%q not found after offset %d", sub, l.at)
	}
	start := l.at + i
	l.at = start + 1
	return Span{Lead: l.pos(start), Start: l.pos(start), End: l.pos(start + len(sub))}
}

// spanTo returns the span from the next occurrence of from to the end of
// the next occurrence of to after it.
func (l *locator) spanTo(t *testing.T, from, to string) Span {
	t.Helper()
	a := l.span(t, from)
	save := l.at
	b := l.span(t, to)
	l.at = save
	return Join(a, b)
}

func comments(t *testing.T, src string) []*Comment {
	var cs []*Comment
	for i := 0; i < len(src); i++ {
		var end int
		switch {
		case strings.HasPrefix(src[i:], "//"):
			end = strings.IndexByte(src[i:], '\n')
			if end < 0 {
				end = len(src) - i
			}
		case strings.HasPrefix(src[i:], "/*"):
			end = strings.Index(src[i:], "*/") + 2
		default:
			continue
		}
		l := &locator{src: src}
		cs = append(cs, &Comment{Text: src[i : i+end], Span: Span{Start: l.pos(i), End: l.pos(i + end)}})
		i += end - 1
	}
	return cs
}

const commentSrc = `// header comment
kprobe:f /pid > 1 /* in pred */ / {
  // leading a
  $a = 1; // trailing a


  /* before b */
  $b = 2 + /* inside */ 3;
  if ($a) { // after brace
    $c = 3;
    // end of then
  } // after if
  // end of block
}
// final
`

const commentWant = `// header comment
kprobe:f
/pid > 1/ /* in pred */
{
  // leading a
  $a = 1; // trailing a

  /* before b */
  /* inside */
  $b = 2 + 3;
  if ($a) { // after brace
    $c = 3;
    // end of then
  } // after if
  // end of block
}

// final
`

func commentProgram(t *testing.T) *Program {
	src := commentSrc
	l := &locator{src: src}
	probeSpan := l.spanTo(t, "kprobe:f", "\n}")
	l.at = probeSpan.Start.Offset
	apSpan := l.span(t, "kprobe:f")
	pred := &Binary{Op: ">", X: &Ident{Name: "pid", Span: l.span(t, "pid")}, Y: &Int{Text: "1", Value: 1, Span: l.span(t, "1")}}
	pred.Span = Join(pred.X.Range(), pred.Y.Range())
	bodySpan := l.spanTo(t, "{\n", "\n}")
	l.at = bodySpan.Start.Offset + 1
	a := &AssignStmt{Span: l.spanTo(t, "$a = 1", ";"), Target: &Var{Name: "a"}, Op: "=", Value: num(1)}
	b := &AssignStmt{Span: l.spanTo(t, "$b = 2", ";"), Target: &Var{Name: "b"}, Op: "=", Value: bin("+", num(2), num(3))}
	ifSpan := l.spanTo(t, "if ($a)", "}")
	then := &Block{Span: l.spanTo(t, "{ //", "}")}
	then.Stmts = []Stmt{&AssignStmt{Span: l.spanTo(t, "$c = 3", ";"), Target: vr("c"), Op: "=", Value: num(3)}}
	ifs := &IfStmt{Span: ifSpan, Cond: vr("a"), Then: then}
	return &Program{
		Span: Span{End: l.pos(len(src))},
		Decls: []Decl{&Probe{
			Span:         probeSpan,
			AttachPoints: []*AttachPoint{{Span: apSpan, Raw: "kprobe:f", Provider: "kprobe", ProviderText: "kprobe", Parts: []string{"f"}, Quoted: []bool{false}}},
			Pred:         pred,
			Body:         &Block{Span: bodySpan, Stmts: []Stmt{a, b, ifs}},
		}},
		Comments: comments(t, src),
	}
}

func TestFormatComments(t *testing.T) {
	prog := commentProgram(t)
	if len(prog.Comments) != 11 {
		t.Fatalf("found %d comments", len(prog.Comments))
	}
	got := Format(prog)
	if got != commentWant {
		t.Errorf("got:\n%s\nwant:\n%s", got, commentWant)
	}
	for _, c := range prog.Comments {
		if n := strings.Count(got, c.Text); n != 1 {
			t.Errorf("comment %q appears %d times", c.Text, n)
		}
	}
}

// TestFormatBlankLines keeps at most one blank line where the source had
// some, none at the start or end of a block.
func TestFormatBlankLines(t *testing.T) {
	line := func(n int) Span {
		return Span{Start: Pos{Offset: n * 10, Line: n}, End: Pos{Offset: n*10 + 5, Line: n}}
	}
	st := func(n int, name string) Stmt {
		return &ExprStmt{Span: line(n), X: call(name)}
	}
	body := &Block{Span: Span{Start: Pos{Offset: 10, Line: 1}, End: Pos{Offset: 200, Line: 20}},
		Stmts: []Stmt{st(3, "a"), st(4, "b"), st(8, "c"), st(10, "d")}}
	prog := &Program{Decls: []Decl{
		&MapDecl{Span: line(0), Map: mp("x"), Kind: "hash", MaxEntries: 1},
		&MapDecl{Span: line(0), Map: mp("y"), Kind: "hash", MaxEntries: 2},
		&Probe{Span: Span{Start: body.Span.Start, End: body.Span.End}, AttachPoints: []*AttachPoint{ap("BEGIN", "begin")}, Body: body},
	}}
	want := "let @x = hash(1);\nlet @y = hash(2);\n\nBEGIN\n{\n  a();\n  b();\n\n  c();\n\n  d();\n}\n"
	if got := Format(prog); got != want {
		t.Errorf("got:\n%q\nwant:\n%q", got, want)
	}
}
