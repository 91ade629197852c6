package runtime

import (
	"testing"

	"github.com/gobpftrace/gobpftrace/output"
	"github.com/gobpftrace/gobpftrace/types"
)

// TestGoShapeValueTruncated: a struct shape holding fewer fields than
// its type has (the rest did not fit in one record) prints "..." for
// them, and one holding all of them does not.
func TestGoShapeValueTruncated(t *testing.T) {
	leaves := []output.Value{output.IntN(7, 8, true), output.IntN(-2, 4, true)}
	for _, c := range []struct {
		fields int64
		want   string
	}{{3, "{A:7 B:-2 ...}"}, {2, "{A:7 B:-2}"}} {
		sh := &types.GoShape{Kind: types.GoStruct, Len: c.fields, Names: []string{"A", "B"}, Elems: []*types.GoShape{
			{Kind: types.GoInt, Leaf: 0}, {Kind: types.GoInt, Leaf: 1},
		}}
		v := goShapeValue(sh, leaves)
		if got := string(output.AppendValue(nil, &v)); got != c.want {
			t.Errorf("%d fields: %q, want %q", c.fields, got, c.want)
		}
	}
}
