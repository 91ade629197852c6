package symtab

import "testing"

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		pat, name string
		want      bool
	}{
		{"main.f", "main.f", true},
		{"main.f", "main.fg", false},
		{"main.f", "xmain.f", false},
		{"", "", true},
		{"", "a", false},
		{"*", "", true},
		{"*", "main.(*T).M", true},
		{"**", "x", true},
		{"main.*", "main.main", true},
		{"main.*", "runtime.main", false},
		{"main.(*T).*", "main.(*T).M", true},
		{"main.(*T).*", "main.(*T).String", true},
		{"main.(*T).*", "main.T.V", false},
		{"main.(*T).*", "main.(*U).M", false},
		{"*.(*T).M", "example.com/a/b.(*T).M", true},
		{"example.com/*/b.*", "example.com/a/x/b.F", true},
		{"*Read*", "os.(*File).Read", true},
		{"*Read*", "os.(*File).Write", false},
		{"a*b*c", "abc", true},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "acb", false},
		{"a*b*c", "aXcYb", false},
		{"*.foo", "a/b.c.foo", true},
		{"a*a", "a", false}, // prefix and suffix must not overlap
		{"ab*ba", "aba", false},
		{"ab*ba", "abba", true},
		{"a*?", "ab", false}, // '?' is literal
		{"a*?", "ab?", true},
		{"[ab]*", "a", false}, // brackets are literal
		{"[ab]*", "[ab]x", true},
	} {
		if got := Match(c.pat, c.name); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.pat, c.name, got, c.want)
		}
	}
}
