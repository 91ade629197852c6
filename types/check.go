// Package types is the semantic pass: scopes, type inference for variables
// and maps, builtin and function signatures, attach-point parsing and
// validation, recorded in side tables (Info) like go/types. Kernel and binary
// facts come in through the Env interface so tests can fake them.
//
// The rules and messages follow bpftrace 0.17's semantic analyser: scratch
// variables live in one flat scope per probe (a variable assigned inside an
// if block stays visible after it), maps are global with one key and value
// type each, integers compute in 64 bits.
package types

import (
	"fmt"
	"sort"

	"github.com/gobpftrace/gobpftrace/ast"
)

// Config holds the inputs of Check besides the program.
type Config struct {
	// Env answers questions about binaries; nil means the host (HostEnv).
	Env Env
	// PID is the process given with -p, or 0. With a PID, a uprobe may omit
	// its binary.
	PID int
	// Params are the positional parameters: $1 is Params[0].
	Params []string
}

// Check type-checks prog. The error is nil or an ast.ErrorList of errors
// (sorted, capped); warnings are in Info.Warnings in both cases. The Info
// is filled as far as checking got, also when there are errors.
func Check(prog *ast.Program, conf *Config) (info *Info, err error) {
	if prog == nil {
		return newInfo(&Config{}), ast.ErrorList{{Msg: "types: no program to check"}}
	}
	if conf == nil {
		conf = &Config{}
	}
	// A bug in the checker must not take the caller down: it becomes an
	// error (FuzzCheck hunts for them).
	defer func() {
		if r := recover(); r != nil {
			if info == nil {
				info = newInfo(conf)
			}
			err = ast.ErrorList{{Filename: prog.Filename, Msg: fmt.Sprintf("internal checker error: %v", r)}}
		}
	}()
	c := &checker{conf: conf, env: conf.Env, file: prog.Filename,
		special: map[string]bool{}, maps: map[string]*MapInfo{}, info: newInfo(conf)}
	if c.env == nil {
		c.env = &HostEnv{}
	}
	var probes []*ast.Probe
	for _, d := range prog.Decls {
		switch d := d.(type) {
		case *ast.Probe:
			probes = append(probes, d)
		case *ast.CPreproc, *ast.CDefinition, *ast.Config:
			// C definitions need a C parser and BTF; config is not
			// interpreted yet. Both are accepted and ignored.
		default:
			c.errs.Add(c.file, d.Range(), "%s is not supported yet", declName(d))
		}
	}
	pinfos := make([]*ProbeInfo, len(probes))
	for i, p := range probes {
		pinfos[i] = &ProbeInfo{Probe: p}
		c.attach(p, pinfos[i])
	}
	// Map types flow between probes in any order (END may read a map that
	// a later probe fills), so inference passes run until the map table is
	// stable, then a final pass reports.
	for pass := 0; pass < 8; pass++ {
		before := c.mapSignature()
		c.run(probes, pinfos)
		if c.mapSignature() == before {
			break
		}
	}
	c.final = true
	c.info = newInfo(conf)
	c.run(probes, pinfos)
	c.info.Probes = pinfos
	c.info.Maps = c.maps

	var errs ast.ErrorList
	for _, e := range c.errs {
		if e.Severity == ast.SevWarning {
			c.info.Warnings = append(c.info.Warnings, e)
		} else {
			errs = append(errs, e)
		}
	}
	c.info.Warnings.Sort()
	errs.Sort()
	return c.info, errs.Err()
}

func newInfo(conf *Config) *Info {
	return &Info{
		Types:    map[ast.Expr]*Type{},
		Builtins: map[*ast.Ident]string{},
		Calls:    map[*ast.Call]*CallInfo{},
		Params:   append([]string(nil), conf.Params...),
	}
}

func declName(d ast.Decl) string {
	switch d.(type) {
	case *ast.Import:
		return "import"
	case *ast.MapDecl:
		return "map declaration"
	case *ast.Macro:
		return "macro"
	case *ast.Subprog:
		return "fn"
	}
	return "this declaration"
}

// checker holds the state of one Check.
type checker struct {
	conf    *Config
	env     Env
	file    string
	final   bool // the reporting pass
	info    *Info
	errs    ast.ErrorList
	special map[string]bool // begin/end seen
	maps    map[string]*MapInfo

	// per probe
	probe *ProbeInfo
	vars  map[string]*Type
	uses  []*ast.Var // every variable node of the probe
	loops int
}

// mapSignature summarises the map table, to detect a fixed point.
func (c *checker) mapSignature() string {
	names := make([]string, 0, len(c.maps))
	for n := range c.maps {
		names = append(names, n)
	}
	sort.Strings(names)
	s := ""
	for _, n := range names {
		m := c.maps[n]
		s += n + "=" + m.Value.String() + "["
		for _, k := range m.Keys {
			s += k.String() + ","
		}
		s += "];"
	}
	return s
}

func (c *checker) run(probes []*ast.Probe, pinfos []*ProbeInfo) {
	for i, p := range probes {
		c.probe, c.vars, c.uses, c.loops = pinfos[i], map[string]*Type{}, nil, 0
		if p.Pred != nil {
			n := len(c.errs)
			t := c.expr(p.Pred, useExpr)
			if !t.IsNone() && t.Kind != Int && t.Kind != Pointer && len(c.errs) == n {
				c.errorf(p.PredSpan, "Invalid type for predicate: %s%s", t.Kind, c.interfaceHint(p.Pred))
			}
		}
		if p.Body != nil {
			c.block(p.Body)
		}
		if c.final {
			c.probe.Vars = c.probe.Vars[:0]
			for name, t := range c.vars {
				c.probe.Vars = append(c.probe.Vars, Var{Name: name, Type: t})
			}
			sort.Slice(c.probe.Vars, func(i, j int) bool { return c.probe.Vars[i].Name < c.probe.Vars[j].Name })
			for _, v := range c.uses {
				if t, ok := c.vars[v.Name]; ok {
					c.info.Types[v] = t
				}
			}
		}
	}
}

// errorf reports an error in the final pass.
func (c *checker) errorf(span ast.Span, format string, args ...any) {
	if c.final {
		c.errs.Add(c.file, span, format, args...)
	}
}

// warnf reports a warning in the final pass.
func (c *checker) warnf(span ast.Span, format string, args ...any) {
	if c.final {
		c.errs.Warn(c.file, span, format, args...)
	}
}

// nerr counts the errors so far, so that a check can skip follow-up errors
// about an expression that already failed.
func (c *checker) nerr() int { return len(c.errs) }

// record stores the type of e and returns it.
func (c *checker) record(e ast.Expr, t *Type) *Type {
	if t == nil {
		t = TypeNone
	}
	c.info.Types[e] = t
	return t
}

// providers returns the providers of the current probe's attach points.
func (c *checker) providers() []string {
	var out []string
	for _, ap := range c.probe.Probe.AttachPoints {
		out = append(out, ap.Provider)
	}
	return out
}

// singleProvider returns the provider shared by every attach point, or ""
// when they differ.
func (c *checker) singleProvider() string {
	ps := c.providers()
	if len(ps) == 0 {
		return ""
	}
	for _, p := range ps[1:] {
		if p != ps[0] {
			return ""
		}
	}
	return ps[0]
}
