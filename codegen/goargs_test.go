package codegen

import (
	"fmt"

	"github.com/gobpftrace/gobpftrace/goabi"
	"github.com/gobpftrace/gobpftrace/symtab"
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
		"main.Lookup":        lookup(money),
	}, Goid: 152, GoidOK: true}
}

// lookup is main.Lookup(key string) (n int, err error, name string,
// p *Money, sl []int32, m Money, w [2]float64). At its RETs n is in RAX,
// err in RBX+RCX, name in RDI+RSI, p in R8, sl in R9-R11; m (four more
// words) and w (an array of two) are on the stack at SP+8 and SP+40.
func lookup(money *goabi.Type) *goabi.Func {
	names := []string{"n", "err", "name", "p", "sl", "m", "w"}
	results := []*goabi.Type{goabi.IntType(8), goabi.InterfaceType("error"), goabi.StringType(),
		goabi.PointerTo(money), goabi.SliceType(goabi.IntType(4)), money, goabi.ArrayType(2, goabi.FloatType(8))}
	in, out, _ := goabi.AssignFunc("amd64", []*goabi.Type{goabi.StringType()}, results)
	f := &goabi.Func{Name: "main.Lookup", Params: []*goabi.Param{{Name: "key", Type: goabi.StringType(), Loc: in[0]}}}
	for i, n := range names {
		f.Results = append(f.Results, &goabi.Param{Name: n, Type: results[i], Loc: out[i]})
	}
	return f
}

// frontendReturns gives the RET addresses of ./frontend's functions.
func frontendReturns(s symtab.Symbol) ([]uint64, error) {
	if rets := map[string][]uint64{"main.Lookup": {0x49e43f, 0x49e47f}, "main.IsValid": {0x49e17f}}[s.Name]; rets != nil {
		return rets, nil
	}
	return nil, fmt.Errorf("%s: %w", s.Name, symtab.ErrNoReturn)
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
