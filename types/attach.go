package types

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/symtab"
)

// providerName is how bpftrace 0.17 names a provider in messages.
func providerName(canonical string) string {
	switch canonical {
	case "begin":
		return "BEGIN"
	case "end":
		return "END"
	case "fentry":
		return "kfunc"
	case "fexit":
		return "kretfunc"
	}
	return canonical
}

// argCounts gives, for the providers we only validate, the numbers of
// parts bpftrace accepts after the provider, and 0.17's wording of the rule.
var argCounts = map[string]struct {
	n    []int
	rule string
}{
	"kprobe":          {[]int{1, 2}, "1 argument"},
	"kretprobe":       {[]int{1, 2}, "1 argument"},
	"tracepoint":      {[]int{2}, "2 arguments"},
	"rawtracepoint":   {[]int{1, 2}, "1 or 2 arguments"},
	"usdt":            {[]int{2, 3}, "2 or 3 arguments"},
	"software":        {[]int{1, 2}, "1 or 2 arguments"},
	"hardware":        {[]int{1, 2}, "1 or 2 arguments"},
	"watchpoint":      {[]int{3}, "3 arguments"},
	"asyncwatchpoint": {[]int{3}, "3 arguments"},
	"fentry":          {[]int{1, 2}, "1 or 2 arguments"},
	"fexit":           {[]int{1, 2}, "1 or 2 arguments"},
	"iter":            {[]int{1, 2}, "2 arguments (1 optional)"},
}

// attach parses and validates the attach points of p, appending the
// expanded targets to pi. It reports errors even outside the final pass:
// it runs once per program.
func (c *checker) attach(p *ast.Probe, pi *ProbeInfo) {
	for _, ap := range p.AttachPoints {
		parts := c.substitute(ap)
		fail := func(format string, args ...any) {
			c.errs.Add(c.file, ap.Span, format, args...)
		}
		switch ap.Provider {
		case "begin", "end":
			if len(parts) == 1 && parts[0] == "*" {
				parts = nil
			}
			if len(parts) != 0 {
				fail("%s probe type requires 0 arguments", providerName(ap.Provider))
				continue
			}
			if c.special[ap.Provider] {
				fail("More than one %s probe defined", providerName(ap.Provider))
				continue
			}
			c.special[ap.Provider] = true
			pi.Targets = append(pi.Targets, &Target{AttachPoint: ap, Provider: ap.Provider, Name: providerName(ap.Provider)})
		case "uprobe", "uretprobe":
			pi.Targets = append(pi.Targets, c.uprobe(ap, parts, fail)...)
		case "kprobe", "kretprobe":
			pi.Targets = append(pi.Targets, c.kprobe(ap, parts, fail)...)
		case "tracepoint":
			pi.Targets = append(pi.Targets, c.tracepoint(ap, parts, fail)...)
		case "interval", "profile":
			if t := timer(ap, parts, fail); t != nil {
				pi.Targets = append(pi.Targets, t)
			}
		default:
			ac, ok := argCounts[ap.Provider]
			if !ok {
				fail("Invalid probe type: %s", ap.ProviderText)
				continue
			}
			good := false
			for _, n := range ac.n {
				good = good || len(parts) == n
			}
			if !good {
				fail("%s probe type requires %s", providerName(ap.Provider), ac.rule)
				continue
			}
			fail("%s probes are not supported yet", providerName(ap.Provider))
		}
	}
}

// substitute returns the parts of ap with positional parameters ($1, ...)
// replaced in unquoted parts, as bpftrace does before parsing them.
func (c *checker) substitute(ap *ast.AttachPoint) []string {
	out := make([]string, len(ap.Parts))
	for i, part := range ap.Parts {
		if i < len(ap.Quoted) && ap.Quoted[i] || !strings.Contains(part, "$") {
			out[i] = part
			continue
		}
		var b strings.Builder
		for j := 0; j < len(part); j++ {
			k := j + 1
			for k < len(part) && part[k] >= '0' && part[k] <= '9' {
				k++
			}
			if part[j] != '$' || k == j+1 {
				b.WriteByte(part[j])
				continue
			}
			n, _ := strconv.Atoi(part[j+1 : k])
			b.WriteString(c.param(n))
			j = k - 1
		}
		out[i] = b.String()
	}
	return out
}

func (c *checker) param(n int) string {
	if n >= 1 && n <= len(c.conf.Params) {
		return c.conf.Params[n-1]
	}
	return ""
}

func (c *checker) uprobe(ap *ast.AttachPoint, parts []string, fail func(string, ...any)) []*Target {
	quoted := func(i int) bool { return i < len(ap.Quoted) && ap.Quoted[i] }
	symQuoted := false
	var bin, fn string
	switch {
	case len(parts) == 1 && c.conf.PID > 0:
		fn, symQuoted = parts[0], quoted(0)
	case len(parts) == 2:
		bin, fn, symQuoted = parts[0], parts[1], quoted(1)
	default:
		fail("%s probe type requires 2 arguments", ap.Provider)
		return nil
	}
	t := &Target{AttachPoint: ap, Provider: ap.Provider}
	if !symQuoted && strings.Contains(fn, "+") {
		var ok bool
		if fn, t.Offset, ok = splitOffset(fn, ap.Provider == "uretprobe", fail); !ok {
			return nil
		}
	} else if v, err := strconv.ParseUint(fn, 0, 64); err == nil && !symQuoted {
		if hasWildcard(bin) {
			fail("Cannot use wildcards with absolute address")
			return nil
		}
		t.Address, fn = v, ""
	}
	if fn == "" && t.Address == 0 {
		fail("%s should be attached to a function and/or address", ap.Provider)
		return nil
	}
	if hasWildcard(bin) {
		fail("wildcards in %s binary paths are not supported yet", ap.Provider)
		return nil
	}
	path, err := c.env.ResolveBinary(bin, c.conf.PID)
	if err != nil {
		fail("%s", err)
		return nil
	}
	b, err := c.env.Binary(path)
	if err != nil {
		fail("%s", err)
		return nil
	}
	t.Binary, t.IsGo = b.Path, b.IsGo
	// A return probe on a Go function is a uprobe on each of its RETs.
	goRet := ap.Provider == "uretprobe" && b.IsGo
	prefix := ap.Provider + ":" + b.Path + ":"
	if fn == "" {
		t.Name = prefix + parts[len(parts)-1]
		if goRet {
			s, ok := b.funcAt(t.Address)
			if !ok {
				fail("uretprobe on Go binary %s: address %#x is not the start of a function", b.Path, t.Address)
				return nil
			}
			if t.Returns, err = b.returns(s); err != nil {
				fail("cannot place return probes in %s: %s", b.Path, err)
				return nil
			}
		}
		return []*Target{t}
	}
	// A quoted name is a wildcard too, as in bpftrace, unless it names a
	// function exactly: Go methods such as "main.(*T).M" contain a '*'.
	_, exact := b.Lookup(fn)
	if hasWildcard(fn) && !(symQuoted && exact) {
		syms := b.Match(fn)
		if len(syms) == 0 {
			fail("no function in %s matches '%s'", b.Path, fn)
			return nil
		}
		return c.wildcardTargets(ap, b, prefix, fn, syms, goRet)
	}
	s, ok := b.Lookup(fn)
	if !ok {
		fail("Could not resolve symbol: %s:%s", b.Path, fn)
		return nil
	}
	if goRet {
		if t.Returns, err = b.returns(s); err != nil {
			fail("cannot place return probes in %s: %s", b.Path, err)
			return nil
		}
	}
	if t.Offset > 0 && s.Size > 0 && t.Offset >= s.Size {
		fail("Offset outside the function bounds ('%s' size is %d)", fn, s.Size)
		return nil
	}
	t.Symbol, t.Address, t.Name = s.Name, s.Addr+t.Offset, prefix+s.Name
	if t.Offset > 0 {
		t.Name += fmt.Sprintf("+%d", t.Offset)
	}
	return []*Target{t}
}

// wildcardTargets makes one target per function matched by a wildcard.
// A Go return probe needs each function's RETs; functions without any
// (they never return, or end in a tail call) or whose code cannot be
// decoded are skipped with a warning, unless that leaves none.
func (c *checker) wildcardTargets(ap *ast.AttachPoint, b *Binary, prefix, pattern string, syms []symtab.Symbol, goRet bool) []*Target {
	var out []*Target
	skipped := 0
	var firstErr error
	for _, s := range syms {
		t := &Target{AttachPoint: ap, Provider: ap.Provider, Binary: b.Path, IsGo: b.IsGo,
			Symbol: s.Name, Address: s.Addr, Name: prefix + s.Name}
		if goRet {
			rets, err := b.returns(s)
			if err != nil {
				skipped++
				if firstErr == nil {
					firstErr = err
				}
				continue
			}
			t.Returns = rets
		}
		out = append(out, t)
	}
	switch {
	case len(out) == 0:
		c.errs.Add(c.file, ap.Span, "cannot place return probes in %s: %s", b.Path, firstErr)
	case skipped > 0:
		c.errs.Warn(c.file, ap.Span, "%d of the %d functions matching '%s' get no return probe (first: %s)", skipped, len(syms), pattern, firstErr)
	}
	return out
}

// timeUnits are the units of interval and profile probes, in nanoseconds
// (0 for hz, a frequency).
var timeUnits = map[string]uint64{"s": 1e9, "ms": 1e6, "us": 1e3, "hz": 0}

// timer parses interval:UNIT:N, profile:UNIT:N and the newer one-part
// spellings (interval:1s, interval:100 meaning nanoseconds).
func timer(ap *ast.AttachPoint, parts []string, fail func(string, ...any)) *Target {
	t := &Target{AttachPoint: ap, Provider: ap.Provider, Name: ap.Provider + ":" + strings.Join(parts, ":")}
	var unit, num string
	switch len(parts) {
	case 2:
		unit, num = parts[0], parts[1]
		if unit == "" {
			fail("%s probe must have unit of time", ap.Provider)
			return nil
		}
		if _, ok := timeUnits[unit]; !ok {
			fail("%s is not an accepted unit of time", unit)
			return nil
		}
	case 1:
		i := len(parts[0])
		for i > 0 && (parts[0][i-1] < '0' || parts[0][i-1] > '9') {
			i--
		}
		num, unit = parts[0][:i], parts[0][i:]
		if num == "" {
			fail("%s probe type requires 2 arguments", ap.Provider)
			return nil
		}
		if unit == "" {
			unit = "ns"
		}
		if _, ok := timeUnits[unit]; !ok && unit != "ns" {
			fail("%s is not an accepted unit of time", unit)
			return nil
		}
	default:
		fail("%s probe type requires 2 arguments", ap.Provider)
		return nil
	}
	n, err := strconv.ParseUint(num, 0, 64)
	if err != nil {
		fail("%s probe must have an integer frequency", ap.Provider)
		return nil
	}
	if n == 0 {
		fail("%s frequency should be a positive integer", ap.Provider)
		return nil
	}
	switch unit {
	case "hz":
		t.Freq = n
	case "ns":
		t.PeriodNS = n
	default:
		t.PeriodNS = n * timeUnits[unit]
	}
	return t
}

// splitOffset splits `SYM+OFF` of a uprobe or kprobe spec, with bpftrace
// 0.17's messages; return probes take no offset.
func splitOffset(fn string, ret bool, fail func(string, ...any)) (string, uint64, bool) {
	if ret {
		fail("Offset not allowed")
		return "", 0, false
	}
	if strings.Count(fn, "+") != 1 {
		fail("Cannot take more than one offset")
		return "", 0, false
	}
	sym, off, _ := strings.Cut(fn, "+")
	v, err := strconv.ParseUint(off, 0, 64)
	if sym == "" || err != nil {
		fail("Invalid offset: '%s'", off)
		return "", 0, false
	}
	return sym, v, true
}
