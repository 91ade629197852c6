package codegen

import (
	"github.com/gobpftrace/gobpftrace/goabi"
	"github.com/gobpftrace/gobpftrace/types"
)

// frontendGo describes ./frontend's main.IsValid(m Money, p *Money,
// sl []int32) as DWARF would, with goid at 152 in runtime.g.
func frontendGo() *types.StaticGo {
	money := goabi.StructType("main.Money",
		goabi.Field{Name: "Units", Type: goabi.IntType(8)},
		goabi.Field{Name: "Nanos", Type: goabi.IntType(4)},
		goabi.Field{Name: "CurrencyCode", Type: goabi.StringType()})
	params := []*goabi.Type{money, goabi.PointerTo(money), goabi.SliceType(goabi.IntType(4))}
	in, _, _ := goabi.AssignFunc("amd64", params, []*goabi.Type{goabi.BoolType()})
	f := &goabi.Func{Name: "main.IsValid"}
	for i, n := range []string{"m", "p", "sl"} {
		f.Params = append(f.Params, &goabi.Param{Name: n, Type: params[i], Loc: in[i]})
	}
	return &types.StaticGo{Funcs: map[string]*goabi.Func{"main.IsValid": f}, Goid: 152, GoidOK: true}
}
