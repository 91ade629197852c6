package runtime

import (
	"github.com/gobpftrace/gobpftrace/output"
	"github.com/gobpftrace/gobpftrace/symtab"
	"github.com/gobpftrace/gobpftrace/types"
)

// goComposite decodes a Go composite record argument (print(args.m)):
// its leaves, laid out as comp.Record says, put together as comp.Shape
// says into the output package's Go kinds.
func (s *Session) goComposite(b []byte, comp *types.GoComposite) output.Value {
	leaves := make([]output.Value, len(comp.Leaves))
	for i, l := range comp.Leaves {
		end := l.Offset + l.Type.Size
		if end > len(b) {
			return output.Value{Kind: output.GoMissing}
		}
		leaves[i] = s.value(b[l.Offset:end], l.Type)
	}
	v := goShapeValue(comp.Shape, leaves)
	if comp.Binary != "" {
		// The binary's table is looked up only for a value holding a
		// non-nil interface: most printed values take no lock here.
		var tab *symtab.Table
		nameIfaces(&v, func() *symtab.Table {
			if tab == nil {
				s.syms.mu.Lock()
				tab = s.syms.table(comp.Binary)
				s.syms.mu.Unlock()
			}
			return tab
		})
	}
	return v
}

// nameIfaces names the dynamic type of each non-nil interface in v from
// its itab word (non-PIE Go binaries, whose itabs sit at their link-time
// addresses).
func nameIfaces(v *output.Value, table func() *symtab.Table) {
	if v.Kind == output.GoIface && len(v.Elems) == 2 && v.Elems[0].Bits != 0 {
		if tab := table(); tab != nil {
			if name, ok := tab.GoTypeAt(v.Elems[0].Bits); ok {
				v.Names = []string{name}
			}
		}
	}
	for i := range v.Elems {
		nameIfaces(&v.Elems[i], table)
	}
}

// goShapeValue builds the value of shape sh from the decoded leaves.
func goShapeValue(sh *types.GoShape, leaves []output.Value) output.Value {
	if sh == nil {
		return output.Value{Kind: output.GoMissing}
	}
	leaf := func() (output.Value, bool) {
		if sh.Leaf < 0 || sh.Leaf >= len(leaves) {
			return output.Value{Kind: output.GoMissing}, false
		}
		return leaves[sh.Leaf], true
	}
	elems := func() []output.Value {
		out := make([]output.Value, len(sh.Elems))
		for i, e := range sh.Elems {
			out[i] = goShapeValue(e, leaves)
		}
		return out
	}
	switch sh.Kind {
	case types.GoInt, types.GoFloat, types.GoString:
		v, _ := leaf()
		return v
	case types.GoBool:
		v, ok := leaf()
		if !ok {
			return v
		}
		return output.Value{Kind: output.GoBool, Bits: v.Bits & 0xff}
	case types.GoWord:
		v, ok := leaf()
		if !ok {
			return v
		}
		return output.Value{Kind: output.GoWord, Bits: v.Bits}
	case types.GoRef:
		v, ok := leaf()
		if !ok {
			return v
		}
		return output.Value{Kind: output.GoRef, Bits: v.Bits, Elems: elems()}
	case types.GoStruct:
		return output.Value{Kind: output.GoStruct, Bits: uint64(sh.Len), Names: sh.Names, Elems: elems()}
	case types.GoArray:
		return output.Value{Kind: output.GoArray, Bits: uint64(sh.Len), Elems: elems()}
	case types.GoSlice:
		return output.Value{Kind: output.GoSlice, Elems: elems()}
	case types.GoIface:
		return output.Value{Kind: output.GoIface, Elems: elems()}
	}
	return output.Value{Kind: output.GoMissing}
}
