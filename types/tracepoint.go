package types

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/symtab"
)

// TracepointField is one field of a tracepoint's record, as its format
// file in tracefs describes it.
type TracepointField struct {
	Name    string
	Type    string // C type as written: "const char *", "int", "__data_loc char[]"
	Offset  int    // from the start of the record (common fields included)
	Size    int
	Signed  bool
	Pointer bool // a C pointer (Type ends in '*')
	DataLoc bool // __data_loc: a u32 (length<<16 | offset) locating the data in the record
	ArrayOf int  // > 0 for a fixed array `char name[N]`: N
}

// TracepointFormat is the record layout of one tracepoint.
type TracepointFormat struct {
	Category, Name string
	Fields         []TracepointField
}

// Field returns the field called name.
func (f *TracepointFormat) Field(name string) (TracepointField, bool) {
	for _, fd := range f.Fields {
		if fd.Name == name {
			return fd, true
		}
	}
	return TracepointField{}, false
}

// ParseTracepointFormat parses the text of a tracefs format file
// (`field:TYPE NAME; offset:N; size:N; signed:N;` lines).
func ParseTracepointFormat(category, name, text string) (*TracepointFormat, error) {
	f := &TracepointFormat{Category: category, Name: name}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "field:") {
			continue
		}
		var decl string
		fd := TracepointField{}
		for _, part := range strings.Split(line, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(part), ":")
			if !ok {
				continue
			}
			var err error
			switch k {
			case "field":
				decl = strings.TrimSpace(v)
			case "offset":
				fd.Offset, err = strconv.Atoi(v)
			case "size":
				fd.Size, err = strconv.Atoi(v)
			case "signed":
				fd.Signed = v == "1"
			}
			if err != nil {
				return nil, fmt.Errorf("%s:%s: bad format line %q", category, name, line)
			}
		}
		i := strings.LastIndexAny(decl, " *")
		if i < 0 {
			return nil, fmt.Errorf("%s:%s: bad format line %q", category, name, line)
		}
		fd.Name, fd.Type = decl[i+1:], strings.TrimSpace(decl[:i+1])
		if j := strings.IndexByte(fd.Name, '['); j >= 0 {
			n, _ := strconv.Atoi(strings.TrimSuffix(fd.Name[j+1:], "]"))
			fd.Name, fd.Type, fd.ArrayOf = fd.Name[:j], fd.Type+fd.Name[j:], max(n, 1)
		}
		fd.Pointer = strings.HasSuffix(fd.Type, "*")
		fd.DataLoc = strings.Contains(fd.Type, "__data_loc")
		// As bpftrace does: syscall arguments are 8-byte slots whose C type
		// may be narrower; an `int` there is a signed 64-bit value.
		if fd.Size == 8 && fd.Type == "int" {
			fd.Signed = true
		}
		f.Fields = append(f.Fields, fd)
	}
	return f, nil
}

// TpField tells codegen how to read `args.NAME` in a tracepoint probe:
// Fields holds the field in each target of the probe, in target order
// (their offsets may differ when a wildcard matched several tracepoints).
// The `args` identifier itself is recorded with Root set.
type TpField struct {
	Root   bool
	Name   string
	Fields []TracepointField
	// User is set for pointers into user memory (syscall arguments).
	User bool
}

// tracepoint expands tracepoint:CATEGORY:NAME (wildcards allowed in both).
func (c *checker) tracepoint(ap *ast.AttachPoint, parts []string, fail func(string, ...any)) []*Target {
	if len(parts) != 2 {
		fail("tracepoint probe type requires 2 arguments")
		return nil
	}
	pattern := parts[0] + ":" + parts[1]
	names := []string{pattern}
	if hasWildcard(pattern) {
		var err error
		if names, err = c.env.Tracepoints(pattern); err != nil {
			fail("%s", err)
			return nil
		}
		if len(names) == 0 {
			fail("tracepoints not found: %s", pattern)
			return nil
		}
	}
	var out []*Target
	for _, n := range names {
		cat, name, _ := strings.Cut(n, ":")
		f, err := c.env.TracepointFormat(cat, name)
		if err != nil {
			fail("%s", err)
			return nil
		}
		out = append(out, &Target{AttachPoint: ap, Provider: "tracepoint", Name: "tracepoint:" + n,
			Category: cat, Tracepoint: name, Format: f})
	}
	return out
}

// recordTp records what e is in a tracepoint's record.
func (c *checker) recordTp(e ast.Expr, f *TpField) {
	if c.info.TpFields == nil {
		c.info.TpFields = map[ast.Expr]*TpField{}
	}
	c.info.TpFields[e] = f
}

// tpArgs types `args` in a tracepoint probe.
func (c *checker) tpArgs(e *ast.Ident) *Type {
	c.recordTp(e, &TpField{Root: true})
	return RecordType("args")
}

// tpField types args.NAME (or args->NAME) in a tracepoint probe.
func (c *checker) tpField(e *ast.Field) *Type {
	tf := &TpField{Name: e.Name}
	missing := false
	for _, t := range c.probe.Targets {
		if t.Format == nil {
			c.errorf(e.Span, "args can only be used in tracepoint probes here")
			return TypeNone
		}
		fd, ok := t.Format.Field(e.Name)
		if !ok {
			c.errorf(e.Span, "Struct/union of type 'struct _tracepoint_%s_%s' does not contain a field named '%s'", t.Category, t.Tracepoint, e.Name)
			missing = true
			continue
		}
		tf.Fields = append(tf.Fields, fd)
		tf.User = tf.User || t.Category == "syscalls"
	}
	if missing || len(tf.Fields) == 0 {
		return TypeNone
	}
	var typ *Type
	for i, fd := range tf.Fields {
		ft, msg := tpType(fd)
		if msg != "" {
			c.errorf(e.Span, "args->%s (%s): %s", e.Name, fd.Type, msg)
			return TypeNone
		}
		if i > 0 && ft.String() != typ.String() {
			c.errorf(e.Span, "args->%s has different types in the tracepoints of this probe (%s, %s): use separate probes", e.Name, typ, ft)
			return TypeNone
		}
		typ = ft
	}
	c.recordTp(e, tf)
	return typ
}

// tpType is the bpftrace type of a tracepoint field, or why there is none.
func tpType(fd TracepointField) (*Type, string) {
	switch {
	case fd.DataLoc:
		if strings.Contains(fd.Type, "char") {
			return StringType(StringSize), ""
		}
		return nil, "__data_loc fields other than strings are not supported yet"
	case fd.ArrayOf > 0:
		if strings.Contains(fd.Type, "char") && fd.Size == fd.ArrayOf {
			return StringType(fd.Size), ""
		}
		return nil, "array fields are not supported yet"
	case fd.Pointer:
		elem := IntType(8, false)
		if strings.Contains(fd.Type, "char") {
			elem = IntType(1, true)
		}
		return PointerTo(elem), ""
	}
	switch fd.Size {
	case 1, 2, 4, 8:
		return IntType(fd.Size, fd.Signed), ""
	}
	return nil, fmt.Sprintf("a %d-byte field is not supported", fd.Size)
}

// matchTracepoints returns the "category:name" entries of all that match
// the wildcard pattern "CATEGORY:NAME", sorted.
func matchTracepoints(all []string, pattern string) []string {
	cp, np, _ := strings.Cut(pattern, ":")
	var out []string
	for _, s := range all {
		c, n, _ := strings.Cut(s, ":")
		if symtab.Match(cp, c) && symtab.Match(np, n) {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}
