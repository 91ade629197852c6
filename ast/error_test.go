package ast

import (
	"errors"
	"strings"
	"testing"
)

func span(line, lead, start, end int) Span {
	return Span{
		Lead:  Pos{Line: line, Col: lead},
		Start: Pos{Line: line, Col: start},
		End:   Pos{Line: line, Col: end},
	}
}

func TestPrintError(t *testing.T) {
	for _, c := range []struct {
		name string
		src  string
		err  error
		want string
	}{{
		name: "syntax error with lead column",
		src:  "BEGIN { printf(\"%d\\n\", 1 +); }\n",
		err:  ErrorList{{Filename: "bad.bt", Span: span(1, 26, 27, 28), Msg: "syntax error, unexpected )"}},
		want: "bad.bt:1:26-28: ERROR: syntax error, unexpected )\n" +
			"BEGIN { printf(\"%d\\n\", 1 +); }\n" +
			"                         ~~\n",
	}, {
		name: "unknown function",
		src:  "BEGIN { @x = nosuchfunc(1); }",
		err:  &Error{Filename: "stdin", Span: span(1, 14, 14, 24), Msg: "Unknown function: nosuchfunc"},
		want: "stdin:1:14-24: ERROR: Unknown function: nosuchfunc\n" +
			"BEGIN { @x = nosuchfunc(1); }\n" +
			"             ~~~~~~~~~~\n",
	}, {
		name: "end of file: empty underline",
		src:  "BEGIN { $x = 1 ",
		err:  ErrorList{{Filename: "stdin", Span: span(1, 16, 16, 16), Msg: "syntax error, unexpected end of file, expecting }"}},
		want: "stdin:1:16-16: ERROR: syntax error, unexpected end of file, expecting }\n" +
			"BEGIN { $x = 1 \n" +
			"               \n",
	}, {
		name: "multi-line span prints the line range only",
		src:  "BEGIN { @x = (1,\n2) + 1; }",
		err: &Error{Filename: "stdin", Msg: "Type mismatch for '+'", Span: Span{
			Lead: Pos{Line: 1, Col: 14}, Start: Pos{Line: 1, Col: 14}, End: Pos{Line: 2, Col: 7}}},
		want: "stdin:1-2: ERROR: Type mismatch for '+'\n",
	}, {
		name: "tabs print as four spaces, underline widens with them",
		src:  "BEGIN {\n\t$x = nosuch();\n}",
		err:  &Error{Filename: "t.bt", Span: span(2, 7, 7, 13), Msg: "Unknown function: nosuch"},
		want: "t.bt:2:7-13: ERROR: Unknown function: nosuch\n" +
			"    $x = nosuch();\n" +
			"         ~~~~~~\n",
	}, {
		name: "warning and hint",
		src:  "BEGIN { $a = -7; $b = $a / 2; }",
		err: ErrorList{{Filename: "stdin", Span: span(1, 23, 23, 29), Severity: SevWarning,
			Msg: "signed operands for '/' can lead to undefined behavior (cast to unsigned to silence warning)", Hints: []string{"cast"}}},
		want: "stdin:1:23-29: WARNING: signed operands for '/' can lead to undefined behavior (cast to unsigned to silence warning)\n" +
			"BEGIN { $a = -7; $b = $a / 2; }\n" +
			"                      ~~~~~~\n" +
			"HINT: cast\n",
	}, {
		name: "no span",
		src:  "",
		err:  &Error{Filename: "x.bt", Msg: "boom"},
		want: "x.bt: ERROR: boom\n",
	}, {
		name: "plain error",
		err:  errors.New("plain"),
		want: "ERROR: plain\n",
	}} {
		t.Run(c.name, func(t *testing.T) {
			var b strings.Builder
			PrintError(&b, c.src, c.err)
			if b.String() != c.want {
				t.Errorf("got:\n%s\nwant:\n%s", b.String(), c.want)
			}
		})
	}
}

func TestErrorList(t *testing.T) {
	var l ErrorList
	if l.Err() != nil {
		t.Fatal("empty list: Err() != nil")
	}
	l.Warn("f", span(1, 1, 1, 2), "w")
	if l.Err() != nil {
		t.Fatal("warnings alone must not make an error")
	}
	for i := 15; i > 0; i-- {
		l.Add("f", Span{Lead: Pos{Offset: i, Line: 1, Col: i + 1}}, "e%d", i)
	}
	l.Sort()
	if len(l) != MaxErrors {
		t.Fatalf("Sort kept %d entries, want %d", len(l), MaxErrors)
	}
	if l[0].Msg != "w" || l[1].Msg != "e1" || l[9].Msg != "e9" {
		t.Fatalf("order after Sort: %q %q %q", l[0].Msg, l[1].Msg, l[9].Msg)
	}
	err := l.Err()
	var el ErrorList
	if !errors.As(err, &el) || len(el) != MaxErrors {
		t.Fatalf("Err() = %v, want the list", err)
	}
	if got := err.Error(); got != "f:1:1-2: WARNING: w (and 9 more errors)" {
		t.Fatalf("Error() = %q", got)
	}
}

func TestJoin(t *testing.T) {
	a := Span{Lead: Pos{0, 1, 1}, Start: Pos{2, 1, 3}, End: Pos{4, 1, 5}}
	b := Span{Lead: Pos{6, 1, 7}, Start: Pos{6, 1, 7}, End: Pos{9, 1, 10}}
	j := Join(b, a)
	if j.Lead != a.Lead || j.Start != a.Start || j.End != b.End {
		t.Fatalf("Join = %+v", j)
	}
	if Join(Span{}, a) != a || Join(a, Span{}) != a {
		t.Fatal("Join with an empty span must return the other")
	}
}
