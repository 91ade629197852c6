package parser

import "github.com/gobpftrace/gobpftrace/lexer"

// Token names as bpftrace 0.17's bison grammar prints them in "unexpected
// X" messages (the %token aliases of parser.yy, quoted the way bison
// quotes them).

var keywords017 = map[string]bool{
	"if": true, "else": true, "unroll": true, "while": true, "for": true,
	"return": true, "continue": true, "break": true,
}

var builtins017 = map[string]bool{
	"args": true, "cgroup": true, "comm": true, "cpid": true, "numaid": true,
	"cpu": true, "ctx": true, "curtask": true, "elapsed": true, "func": true,
	"gid": true, "nsecs": true, "pid": true, "probe": true, "rand": true,
	"retval": true, "tid": true, "uid": true, "username": true,
}

var calls017 = map[string]bool{
	"avg": true, "buf": true, "cat": true, "cgroupid": true, "clear": true,
	"count": true, "delete": true, "exit": true, "hist": true, "join": true,
	"kaddr": true, "kptr": true, "ksym": true, "lhist": true, "macaddr": true,
	"max": true, "min": true, "ntop": true, "override": true, "print": true,
	"printf": true, "cgroup_path": true, "reg": true, "signal": true,
	"sizeof": true, "stats": true, "str": true, "strerror": true,
	"strftime": true, "strncmp": true, "strcontains": true, "sum": true,
	"system": true, "time": true, "uaddr": true, "uptr": true, "usym": true,
	"zero": true, "path": true, "unwatch": true, "bswap": true,
	"skboutput": true, "pton": true, "debugf": true,
}

// identName classifies an identifier like 0.17's flex rules do.
func identName(s string) string {
	switch {
	case keywords017[s]:
		return s
	case s == "bpftrace" || s == "perf":
		return "stack_mode"
	case s == "kstack" || s == "ustack":
		return "call_builtin"
	case builtins017[s],
		len(s) == 4 && s[:3] == "arg" && s[3] >= '0' && s[3] <= '9',
		len(s) == 5 && s[:4] == "sarg" && s[4] >= '0' && s[4] <= '9':
		return "builtin"
	case calls017[s]:
		return "call"
	}
	return "identifier"
}

// tokenName is the bison name of t.
func tokenName(t *lexer.Token) string {
	switch t.Kind {
	case lexer.EOF:
		return "end of file"
	case lexer.Ident, lexer.AttachPoint:
		return identName(t.Value)
	case lexer.Int:
		return "integer"
	case lexer.String:
		return "string"
	case lexer.Var:
		return "variable"
	case lexer.Map:
		return "map"
	case lexer.Param:
		return "positional parameter"
	case lexer.ParamCount:
		return "$#"
	case lexer.EndPred:
		return "end predicate"
	case lexer.CPreproc:
		return "preprocessor directive"
	case lexer.CDef:
		return "struct definition"
	}
	switch t.Value {
	case ",":
		return `","`
	case "..":
		return "."
	}
	return t.Value
}
