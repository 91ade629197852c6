package parser

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/internal/testenv"
)

// TestFormatRoundTrip formats every corpus script and every classic tool:
// the output must parse to the same tree (ignoring positions), format to
// itself, and keep every comment exactly once.
func TestFormatRoundTrip(t *testing.T) {
	tools := testenv.ClassicTools(t)
	scripts, _ := filepath.Glob("testdata/scripts/*.bt")
	paths := append(scripts, tools...)
	if len(scripts) == 0 {
		t.Fatal("no corpus scripts in testdata/scripts")
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Base(path)
			prog, err := Parse(name, string(src))
			if err != nil {
				var b strings.Builder
				ast.PrintError(&b, string(src), err)
				t.Fatalf("does not parse:\n%s", b.String())
			}
			roundTrip(t, name, string(src), prog)
		})
	}
	for name, src := range trickySources {
		t.Run(name, func(t *testing.T) {
			prog, err := Parse(name, src)
			if err != nil {
				var b strings.Builder
				ast.PrintError(&b, src, err)
				t.Fatalf("does not parse:\n%s", b.String())
			}
			roundTrip(t, name, src, prog)
		})
	}
}

// roundTrip checks that Format(prog) keeps every comment, parses back to
// the same tree and formats to itself.
func roundTrip(t *testing.T, name, src string, prog *ast.Program) {
	t.Helper()
	out := ast.Format(prog)
	for _, c := range prog.Comments {
		if n := strings.Count(out, c.Text); n < strings.Count(src, c.Text) || n == 0 {
			t.Errorf("comment %q appears %d times in the output", c.Text, n)
		}
	}
	prog2, err := Parse(name, out)
	if err != nil {
		var b strings.Builder
		ast.PrintError(&b, out, err)
		t.Fatalf("formatted source does not parse:\n%s\n%s", b.String(), out)
	}
	// The formatter always writes if conditions in parentheses.
	ast.Inspect(prog, func(n ast.Node) bool {
		if s, ok := n.(*ast.IfStmt); ok {
			s.Paren = true
		}
		return true
	})
	// Comments inside expressions move before their statement, so
	// compare them as a sorted list of texts.
	texts := func(p *ast.Program) []string {
		var ts []string
		for _, c := range p.Comments {
			ts = append(ts, c.Text)
		}
		sort.Strings(ts)
		return ts
	}
	if d := cmp.Diff(texts(prog), texts(prog2)); d != "" {
		t.Errorf("comments changed by formatting (-source +formatted):\n%s", d)
	}
	if out2 := ast.Format(prog2); out2 != out {
		t.Errorf("Format is not idempotent:\n%s", cmp.Diff(out, out2))
	}
	prog.Comments, prog2.Comments = nil, nil
	if d := cmp.Diff(ast.Dump(prog), ast.Dump(prog2)); d != "" {
		t.Errorf("tree changed by formatting (-source +formatted):\n%s\nformatted:\n%s", d, out)
	}
}

// trickySources are formatter edge cases: precedence, casts, unary
// operators, tuples, records, strings, block values and comments in odd
// places.
var trickySources = map[string]string{
	"tricky_exprs": `#!/usr/bin/env bpftrace
// header
#include <linux/sched.h>
struct foo { int a; }
BEGIN {
  $a = 1 - (2 - 3); $b = (1 + 2) * 3; $c = -(-$a); $d = !(pid == 1) && (tid > 2 || cpu < 1);
  $e = (int32)-1; $f = ((struct foo *)arg0)->a; $g = *(uint64 *)arg1; $h = (uint8)($a + 1);
  $i = $a ? $b : $c ? $d : $e; $j = ($a ? $b : $c) ? 1 : 2; $k = $a ?: 3;
  $t = (1,); $t2 = (1, "a\tb\x01", (2, 3)); $r = (x = 1, y = $a + 2);
  @m[1, 2] = 3; @n[(1, 2)] = 4; @[1] = 1; @x++; --@x; $a += 1; $a <<= 2;
  $s = "quote\"back\\slash\101\x41";
  $z = sizeof(struct foo) + sizeof($a) + offsetof(struct foo, a);
  $p = &$a; $q = ~$a & 0xff; $u = 1_000 + 10ms;
  printf("%d\n", $t.0); // trailing
  /* multi
     line */
  if $a > 1 { print(1) } else if ($a) { print(2); } else { print(3) }
  $v = { let $w: uint32 = 5; $w * 2 };
  _ = $v;
  for ($i : 0..10) { if ($i == 5) { break; } continue; }
  for ($kv : @m) { print($kv.0); }
  while ($a < 10) { $a++; }
  unroll(3) { $a--; }
}
fn add($x: int64, $y: int64): int64 { return $x + $y; }
macro twice(x) { x * 2 }
END { print(twice(add(1, 2))); clear(@m) }
// footer
`,
	"tricky_comments": `config = { max_map_keys = 10; license = "GPL" } // cfg trailing
let @a = hash(10); // decl trailing
let @b = lruhash(0x20);
kprobe:a, /* after a */
kprobe:b // after b
/ pid /* inner */ > 0 / // after pred
{ }
kprobe:c { $x = (r = 1); $y = ("é unicode",); $z = $x.r; @c[$y] = { 1 }; }
kprobe:d /* before brace */ { { $a = 1; } { $b } }
kprobe:e { $a = 1;


  // after blank lines
  $b = 2;
  // last
}
kprobe:f { if (1) { } /* between */ else { } }
kprobe:g { $x = (int8[4])arg0; $y = (struct foo*[2])arg0; $q = -1 - -1; $w = 2 * -3; $e = !!1; $r = ~-1; }
kprobe:h { @x[tid] = (uint64)@y[tid] * 2 / (3 % 4); $a = 1 << 2 >> 3; $b = 1 < 2 == 3 > 4; $d = (1 | 2) ^ (3 & 4); }
`,
}
