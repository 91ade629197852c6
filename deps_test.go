package gobpftrace_test

import (
	"os/exec"
	"strings"
	"testing"
)

// allowedDeps is the dependency policy of docs/DESIGN.md §1: for each
// package of the module, the module packages and third-party modules it may
// import. The standard library is always allowed. A package that is not
// listed may not exist: add it here, with its arrows, when you add it.
var allowedDeps = map[string][]string{
	"ast":              {},
	"lexer":            {"ast", "github.com/alecthomas/participle/v2"},
	"parser":           {"lexer", "ast", "github.com/alecthomas/participle/v2"},
	"output":           {},
	"goabi":            {"internal/inflate"},
	"symtab":           {"golang.org/x/arch"},
	"codegen":          {"ast", "types", "github.com/cilium/ebpf"},
	"types":            {"ast", "symtab", "goabi", "output", "github.com/cilium/ebpf"},
	"runtime":          {"ast", "types", "codegen", "output", "symtab", "github.com/cilium/ebpf", "golang.org/x/sys"},
	"internal/txtar":   {},
	"internal/inflate": {},
	"internal/testenv": {},
	"":                 {"ast", "parser", "lexer", "types", "codegen"},
	"cmd/gobpftrace":   {"", "ast", "codegen", "runtime", "golang.org/x/sys"},

	"examples/incident":              {"", "ast", "output", "runtime"},
	"examples/incident/shop":         {"examples/incident/shop/catalog", "examples/incident/shop/money"},
	"examples/incident/shop/catalog": {"examples/incident/shop/money"},
	"examples/incident/shop/money":   {},
}

const module = "github.com/gobpftrace/gobpftrace"

// TestDependencies keeps the package arrows of the design true: it lists
// every non-test import of every package in the module and fails on one the
// policy does not allow.
func TestDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}:{{join .Imports \" \"}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ":")
		rel := strings.TrimPrefix(strings.TrimPrefix(pkg, module), "/")
		allowed, ok := allowedDeps[rel]
		if !ok {
			t.Errorf("package %q has no entry in the dependency policy (deps_test.go)", pkg)
			continue
		}
		for _, imp := range strings.Fields(imports) {
			if !isAllowed(imp, allowed) {
				t.Errorf("%s imports %s, which the dependency policy does not allow", pkg, imp)
			}
		}
	}
}

func isAllowed(imp string, allowed []string) bool {
	first, _, _ := strings.Cut(imp, "/")
	if !strings.Contains(first, ".") {
		return true // standard library
	}
	for _, a := range allowed {
		full := a
		if !strings.Contains(a, ".") {
			full = strings.TrimSuffix(module+"/"+a, "/")
		}
		if imp == full || (strings.Contains(a, ".") && strings.HasPrefix(imp, full+"/")) {
			return true
		}
	}
	return false
}

func TestIsAllowed(t *testing.T) {
	for _, c := range []struct {
		imp     string
		allowed []string
		want    bool
	}{
		{"fmt", nil, true},
		{module + "/ast", []string{"ast"}, true},
		{module + "/astx", []string{"ast"}, false},
		{module + "/parser", []string{"ast"}, false},
		{module, []string{""}, true},
		{"github.com/alecthomas/participle/v2/lexer", []string{"github.com/alecthomas/participle/v2"}, true},
		{"github.com/cilium/ebpf", []string{"github.com/alecthomas/participle/v2"}, false},
	} {
		if got := isAllowed(c.imp, c.allowed); got != c.want {
			t.Errorf("isAllowed(%q, %q) = %v, want %v", c.imp, c.allowed, got, c.want)
		}
	}
}
