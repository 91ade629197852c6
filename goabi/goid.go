package goabi

import (
	"debug/dwarf"
	"fmt"
)

// gFuncs are runtime functions that take a *g, tried in order to reach
// runtime.g's DWARF type through the cheap per-function path.
var gFuncs = []string{"runtime.casgstatus", "runtime.ready", "runtime.goready", "runtime.dropg"}

// GoidOffset returns the offset of the goid field in runtime.g, read from
// DWARF (it moves between Go versions: 152 on go1.26 amd64).
func (b *Binary) GoidOffset() (int, error) {
	b.mu.Lock()
	done := b.goidOK || b.goidErr != nil
	b.mu.Unlock()
	if !done {
		off, err := b.goidOffset()
		b.mu.Lock()
		b.goid, b.goidErr, b.goidOK = off, err, err == nil
		b.mu.Unlock()
	}
	return b.goid, b.goidErr
}

func (b *Binary) goidOffset() (int, error) {
	for _, name := range gFuncs {
		f, err := b.Func(name)
		if err != nil {
			continue
		}
		for _, p := range f.Params {
			if p.Type.Kind == Pointer && p.Type.Elem.Name == "runtime.g" {
				return goidIn(p.Type.Elem)
			}
		}
	}
	// Fall back on a scan of the top-level DWARF entries.
	b.mu.Lock()
	defer b.mu.Unlock()
	d, err := b.dwarfData()
	if err != nil {
		return 0, err
	}
	r := d.Reader()
	for {
		e, err := r.Next()
		if err != nil {
			return 0, fmt.Errorf("%s: reading DWARF: %w", b.Path, err)
		}
		if e == nil {
			return 0, fmt.Errorf("%s: no runtime.g in DWARF", b.Path)
		}
		if e.Tag == dwarf.TagStructType && e.Val(dwarf.AttrName) == "runtime.g" {
			t, err := b.typeAt(d, e.Offset)
			if err != nil {
				return 0, err
			}
			return goidIn(t)
		}
		if e.Tag != dwarf.TagCompileUnit && e.Children {
			r.SkipChildren()
		}
	}
}

func goidIn(g *Type) (int, error) {
	f, ok := g.Field("goid")
	if !ok {
		return 0, fmt.Errorf("runtime.g has no goid field")
	}
	return int(f.Offset), nil
}
