package types

import (
	"strconv"
	"strings"

	"github.com/gobpftrace/gobpftrace/ast"
)

// uint64Builtins are the builtins that read one 64-bit number.
var uint64Builtins = map[string]bool{
	"pid": true, "tid": true, "uid": true, "gid": true, "nsecs": true,
	"elapsed": true, "cpu": true, "rand": true, "cgroup": true, "numaid": true,
}

// futureBuiltins are bpftrace builtins this checker knows but does not
// support yet.
var futureBuiltins = map[string]bool{
	"ctx": true, "username": true, "cpid": true, "jiffies": true, "usermode": true,
}

// argProviders may use argN.
var argProviders = map[string]bool{"kprobe": true, "uprobe": true, "usdt": true}

// ident types an identifier: a builtin, or an error.
func (c *checker) ident(e *ast.Ident) *Type {
	name := e.Name
	builtin := func(t *Type) *Type {
		c.info.Builtins[e] = name
		return t
	}
	switch {
	case uint64Builtins[name]:
		return builtin(TypeUint64)
	case name == "comm":
		return builtin(StringType(16))
	case name == "probe":
		return builtin(&Type{Kind: Probe, Size: 8})
	case name == "curtask":
		return builtin(PointerTo(RecordType("struct task_struct")))
	case name == "ustack" || name == "kstack":
		return builtin(StackType(name == "kstack", Stack{Mode: "bpftrace", Limit: DefaultStackLimit}))
	case name == "retval":
		p := c.singleProvider()
		if p != "kretprobe" && p != "uretprobe" {
			hint := ""
			if p == "tracepoint" {
				hint = " (try to use args->ret instead)"
			}
			c.errorf(e.Span, "The retval builtin can only be used with 'kretprobe' and 'uretprobe' and 'kfunc' probes%s", hint)
			return TypeNone
		}
		return builtin(TypeUint64)
	case name == "func":
		t := TypeNone
		for _, ap := range c.probe.Probe.AttachPoints {
			switch ap.Provider {
			case "kprobe", "kretprobe":
				t = &Type{Kind: Ksym, Size: 8}
			case "uprobe", "uretprobe":
				t = &Type{Kind: Usym, Size: 16}
			default:
				c.errorf(e.Span, "The func builtin can not be used with '%s' probes", providerName(ap.Provider))
				return TypeNone
			}
		}
		return builtin(t)
	case name == "goid":
		return c.goid(e)
	case name == "rets":
		return c.goRets(e)
	case name == "args":
		p := c.singleProvider()
		if p == "uprobe" {
			return c.goArgs(e)
		}
		if p == "uretprobe" {
			c.errorf(e.Span, "args is not available in uretprobe probes: %s", c.argsAtReturn())
			return TypeNone
		}
		if p == "tracepoint" {
			return c.tpArgs(e)
		}
		if p == "fentry" || p == "fexit" {
			c.errorf(e.Span, "args in %s probes is not supported yet", providerName(p))
			return TypeNone
		}
		if p == "" {
			p = "invalid"
		} else if p == "begin" || p == "end" {
			p = "special"
		}
		c.errorf(e.Span, "The args builtin can only be used with tracepoint/kfunc/uprobeprobes (%s used here)", p)
		return TypeNone
	case futureBuiltins[name]:
		c.errorf(e.Span, "the %s builtin is not supported yet", name)
		return TypeNone
	}
	if n, ok := argNumber(name, "arg"); ok {
		for _, ap := range c.probe.Probe.AttachPoints {
			if !argProviders[ap.Provider] {
				c.errorf(e.Span, "The %s builtin can only be used with 'kprobes', 'uprobes' and 'usdt' probes", name)
				return TypeNone
			}
		}
		if n > MaxArg {
			c.errorf(e.Span, "%s doesn't support %s", ArchName, name)
			return TypeNone
		}
		return builtin(TypeUint64)
	}
	if _, ok := argNumber(name, "sarg"); ok {
		for _, ap := range c.probe.Probe.AttachPoints {
			if ap.Provider != "kprobe" && ap.Provider != "uprobe" {
				c.errorf(e.Span, "The %s builtin can only be used with 'kprobes' and 'uprobes' probes", name)
				return TypeNone
			}
		}
		return builtin(TypeUint64)
	}
	c.errorf(e.Span, "Unknown identifier: '%s'", name)
	return TypeNone
}

// argNumber parses "arg3" (prefix "arg") as 3; bpftrace allows one digit.
func argNumber(name, prefix string) (int, bool) {
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok || len(rest) != 1 || rest[0] < '0' || rest[0] > '9' {
		return 0, false
	}
	n, _ := strconv.Atoi(rest)
	return n, true
}
