package lexer

import (
	"fmt"
	"strings"
	"testing"

	plex "github.com/alecthomas/participle/v2/lexer"
)

// toks renders tokens as `Kind:value@lead-start-end` (columns, line 1).
func toks(src string) string {
	r := Scan("t.bt", src)
	var out []string
	for _, t := range r.Tokens {
		s := fmt.Sprintf("%v:%s@%d-%d-%d", t.Kind, t.Value, t.Span.Lead.Col, t.Span.Start.Col, t.Span.End.Col)
		if t.Kind == Int {
			s += fmt.Sprintf("=%d", t.IntValue)
		}
		out = append(out, s)
	}
	for _, e := range r.Errors {
		out = append(out, "ERR:"+e.Err.Error())
	}
	return strings.Join(out, " ")
}

func TestScan(t *testing.T) {
	tests := []struct{ in, want string }{
		{`BEGIN{)`, `AttachPoint:BEGIN@1-1-6 Punct:{@1-6-7 Punct:)@1-7-8 EOF:@1-8-8`},
		{`k:f { 1 +); }`, `AttachPoint:k:f@1-1-4 Punct:{@5-5-6 Int:1@7-7-8=1 Punct:+@9-9-10 Punct:)@9-10-11 Punct:;@9-11-12 Punct:}@13-13-14 EOF:@13-14-14`},
		{`uprobe:./x:"main.(*T).M" /pid/ {}`, `AttachPoint:uprobe:./x:"main.(*T).M"@1-1-25 Punct:/@26-26-27 Ident:pid@26-27-30 EndPred:/@26-30-31 Punct:{@32-32-33 Punct:}@32-33-34 EOF:@32-34-34`},
		{`a:b,c:d{}`, `AttachPoint:a:b@1-1-4 Punct:,@1-4-5 AttachPoint:c:d@1-5-8 Punct:{@1-8-9 Punct:}@1-9-10 EOF:@1-10-10`},
		{`k:f /$x/2/ {}`, `AttachPoint:k:f@1-1-4 Punct:/@5-5-6 Var:x@5-6-8 Punct:/@5-8-9 Int:2@5-9-10=2 EndPred:/@5-10-11 Punct:{@12-12-13 Punct:}@12-13-14 EOF:@12-14-14`},
		{`B { $1 $# @ @m 0x1F 1_000 07 5ull 1e3 10ms }`, `AttachPoint:B@1-1-2 Punct:{@3-3-4 Param:1@5-5-7 ParamCount:$#@8-8-10 Map:@11-11-12 Map:m@13-13-15 Int:0x1F@16-16-20=31 Int:1_000@21-21-26=1000 Int:07@27-27-29=7 Int:5ull@30-30-34=5 Int:1e3@35-35-38=1000 Int:10ms@39-39-43=10000000 Punct:}@44-44-45 EOF:@44-45-45`},
		{`B { 0e999999999999 }`, `AttachPoint:B@1-1-2 Punct:{@3-3-4 Int:0e999999999999@5-5-19=0 Punct:}@20-20-21 EOF:@20-21-21`},
		{`B { 1e19 }`, `AttachPoint:B@1-1-2 Punct:{@3-3-4 Int:1e19@5-5-9=10000000000000000000 Punct:}@10-10-11 EOF:@10-11-11`},
		{`B { 1e20 }`, `AttachPoint:B@1-1-2 Punct:{@3-3-4 Punct:}@10-10-11 EOF:@10-11-11 ERR:t.bt:1:5-9: ERROR: stoull`},
		{`B { 0x; }`, `AttachPoint:B@1-1-2 Punct:{@3-3-4 Int:0@5-5-6=0 Ident:x@5-6-7 Punct:;@5-7-8 Punct:}@9-9-10 EOF:@9-10-10`},
		{`B { a<<=b->c..d }`, `AttachPoint:B@1-1-2 Punct:{@3-3-4 Ident:a@5-5-6 Punct:<<=@5-6-9 Ident:b@5-9-10 Punct:->@5-10-12 Ident:c@5-12-13 Punct:..@5-13-15 Ident:d@5-15-16 Punct:}@17-17-18 EOF:@17-18-18`},
		{`B { "a\n\x41\101" }`, "AttachPoint:B@1-1-2 Punct:{@3-3-4 String:a\nAA@5-5-18 Punct:}@19-19-20 EOF:@19-20-20"},
		{`B { $x = "abc }`, `AttachPoint:B@1-1-2 Punct:{@3-3-4 Var:x@5-5-7 Punct:=@8-8-9 EOF:@10-16-16 ERR:t.bt:1:10-16: ERROR: unterminated string`},
		{`B { "a\q" }`, `AttachPoint:B@1-1-2 Punct:{@3-3-4 String:a@5-5-10 Punct:}@11-11-12 EOF:@11-12-12 ERR:t.bt:1:5-9: ERROR: invalid escape character '\q'`},
		{`B { "\777" }`, "AttachPoint:B@1-1-2 Punct:{@3-3-4 String:\xff@5-5-11 Punct:}@12-12-13 EOF:@12-13-13 ERR:t.bt:1:5-10: ERROR: octal escape sequence out of range '\\777'"},
		{"B { ` }", "AttachPoint:B@1-1-2 Punct:{@3-3-4 Punct:}@7-7-8 EOF:@7-8-8 ERR:t.bt:1:5-6: ERROR: invalid character '`'"},
		{`B { /* x`, `AttachPoint:B@1-1-2 Punct:{@3-3-4 EOF:@5-9-9 ERR:t.bt:1:5-9: ERROR: end of file during comment`},
		{"#include <x.h>\nstruct S { int a; };\nB{}", `CPreproc:#include <x.h>@1-1-15 CDef:struct S { int a; };@1-1-21 AttachPoint:B@1-1-2 Punct:{@1-2-3 Punct:}@1-3-4 EOF:@1-4-4`},
		{"config = { a = 1 } let @m = hash(2) B{}", `Ident:config@1-1-7 Punct:=@8-8-9 Punct:{@10-10-11 Ident:a@12-12-13 Punct:=@14-14-15 Int:1@16-16-17=1 Punct:}@18-18-19 Ident:let@20-20-23 Map:m@24-24-26 Punct:=@27-27-28 Ident:hash@29-29-33 Punct:(@29-33-34 Int:2@29-34-35=2 Punct:)@29-35-36 AttachPoint:B@37-37-38 Punct:{@37-38-39 Punct:}@37-39-40 EOF:@37-40-40`},
	}
	for _, tt := range tests {
		if got := toks(tt.in); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}

func TestShebangAndComments(t *testing.T) {
	r := Scan("t.bt", "#!/bin/bpftrace\n// c\nB { /* d */ }")
	if r.Shebang != "#!/bin/bpftrace" || len(r.Comments) != 2 || r.Comments[1].Text != "/* d */" {
		t.Fatalf("shebang %q comments %v", r.Shebang, r.Comments)
	}
	if c := r.Comments[1].Span; c.Start.Line != 3 || c.Start.Col != 5 || c.End.Col != 12 {
		t.Errorf("comment span %+v", c)
	}
}

func TestParticipleDefinition(t *testing.T) {
	lx, err := Definition.Lex("t.bt", strings.NewReader("B { 1 }"))
	if err != nil {
		t.Fatal(err)
	}
	all, err := plex.ConsumeAll(lx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 5 || all[0].Type != TokenType(AttachPoint) || all[2].Value != "1" || !all[4].EOF() {
		t.Fatalf("tokens %v", all)
	}
	if Definition.Symbols()["Int"] != TokenType(Int) {
		t.Error("symbols")
	}
	lx, _ = Definition.Lex("t.bt", strings.NewReader("B { ` }"))
	if _, err := plex.ConsumeAll(lx); err == nil || !strings.Contains(err.Error(), "invalid character") {
		t.Errorf("want lexical error, got %v", err)
	}
}
