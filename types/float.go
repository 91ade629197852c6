package types

import (
	"fmt"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/goabi"
)

// Floats are Go float32 and float64 values that a uprobe reads from user
// memory (a field behind a pointer, a slice or array element, an argument
// on the stack). BPF has no floating point, so a float is only carried, as
// its raw IEEE bits, into a scratch variable or a record that user space
// formats: printf's %f %e %g %a (and upper-case) conversions, and print().
// Every other use is an error.

// floatUse reports a float used as u anywhere but a printf or print
// argument or the value of a scratch variable, and returns t, or TypeNone
// after such an error so that the enclosing expression reports nothing
// more.
func (c *checker) floatUse(e ast.Expr, t *Type, u use) *Type {
	if t.Kind != Float || u == usePrint || u == useVarValue {
		return t
	}
	c.errorf(e.Range(), "%s values can only be printed (printf %%f/%%e/%%g, print)", t)
	return TypeNone
}

// goFloat types a Go float or complex value v for e: a float32 or float64
// that can be read from memory is a Float, the rest are errors.
func (c *checker) goFloat(e ast.Expr, v *GoValue) *Type {
	t := v.Type
	if reg := floatRegister(v); reg != "" {
		c.errorf(e.Range(), "cannot read this %s value: Go passes it in register %s, which uprobes do not see (X registers are not in pt_regs, so reg() cannot read it either); floats in memory (behind a pointer, in a slice, on the stack) can be read", t, reg)
		return TypeNone
	}
	if t.Kind == goabi.Complex || t.Size != 4 && t.Size != 8 {
		c.errorf(e.Range(), "%s values are not supported: only float32 and float64 values can be read", t)
		return TypeNone
	}
	if why := v.loadable(t.Size); why != "" {
		c.errorf(e.Range(), "cannot read this %s value: %s", t, why)
		return TypeNone
	}
	c.recordGo(e, v)
	return FloatType(int(t.Size))
}

// floatRegister returns the register (X0...) holding part of v at
// function entry, or "" when v is in memory.
func floatRegister(v *GoValue) string {
	if v.Base != nil {
		return ""
	}
	for _, p := range v.Pieces {
		if p.Reg != "" && p.RegOff < 0 {
			return p.Reg
		}
	}
	return ""
}

// printfTypeName names a printf argument's type in a type-mismatch
// message as bpftrace does, by kind ("integer", "string"), but a float
// by its size ("float64"): the kind alone would read as the type %f
// expects.
func printfTypeName(t *Type) string {
	if t.Kind == Float {
		return t.String()
	}
	return fmt.Sprint(printfKind(t))
}
