package codegen

import (
	"github.com/gobpftrace/gobpftrace/goabi"
	"github.com/gobpftrace/gobpftrace/types"
)

// frontendGo describes ./frontend's main.IsValid(m Money, p *Money,
// sl []int32) and main.(*Cart).Total(c *Cart, w [2]float64, rate float64)
// as DWARF would, with goid at 152 in runtime.g.
func frontendGo() *types.StaticGo {
	money := goabi.StructType("main.Money",
		goabi.Field{Name: "Units", Type: goabi.IntType(8)},
		goabi.Field{Name: "Nanos", Type: goabi.IntType(4)},
		goabi.Field{Name: "CurrencyCode", Type: goabi.StringType()})
	return &types.StaticGo{Funcs: map[string]*goabi.Func{
		"main.IsValid": goFunc("main.IsValid", []string{"m", "p", "sl"},
			[]*goabi.Type{money, goabi.PointerTo(money), goabi.SliceType(goabi.IntType(4))}),
		"main.(*Cart).Total": cartTotal(),
	}, Goid: 152, GoidOK: true}
}

// cartTotal is main.(*Cart).Total(c *Cart, w [2]float64, rate float64):
// c in RAX, w on the stack (an array of two), rate in X0.
func cartTotal() *goabi.Func {
	cart := goabi.StructType("main.Cart",
		goabi.Field{Name: "Items", Type: goabi.IntType(8)},
		goabi.Field{Name: "Price", Type: goabi.FloatType(8)},
		goabi.Field{Name: "Ratio", Type: goabi.FloatType(4)},
		goabi.Field{Name: "Prices", Type: goabi.SliceType(goabi.FloatType(8))})
	return goFunc("main.(*Cart).Total", []string{"c", "w", "rate"},
		[]*goabi.Type{goabi.PointerTo(cart), goabi.ArrayType(2, goabi.FloatType(8)), goabi.FloatType(8)})
}

// goFunc places the parameters with the amd64 register ABI.
func goFunc(name string, names []string, params []*goabi.Type) *goabi.Func {
	in, _, _ := goabi.AssignFunc("amd64", params, []*goabi.Type{goabi.BoolType()})
	f := &goabi.Func{Name: name}
	for i, n := range names {
		f.Params = append(f.Params, &goabi.Param{Name: n, Type: params[i], Loc: in[i]})
	}
	return f
}
