package codegen

import (
	"math"
	"strconv"

	"github.com/cilium/ebpf/asm"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/types"
)

// intExpr lowers an integer (or pointer) expression and returns a fresh
// register the caller owns. Values are kept 64 bits wide, sign- or
// zero-extended from their type's width.
func (l *lowerer) intExpr(e ast.Expr) VReg {
	b := l.b
	if v := l.goValue(e); v != nil {
		return l.goInt(e, v)
	}
	if f := l.tpField(e); f != nil {
		return l.tpInt(e, f)
	}
	switch e := e.(type) {
	case *ast.Int:
		return b.Const(int64(e.Value))
	case *ast.Bool:
		if e.Value {
			return b.Const(1)
		}
		return b.Const(0)
	case *ast.PositionalParam:
		var v int64
		if e.N >= 1 && e.N <= len(l.c.info.Params) {
			v, _ = strconv.ParseInt(l.c.info.Params[e.N-1], 0, 64)
		}
		return b.Const(v)
	case *ast.ParamCount:
		return b.Const(int64(len(l.c.info.Params)))
	case *ast.Var:
		t := l.varType(e.Name)
		v := l.variable(e, e.Name, t)
		r := b.NewVReg()
		if !isIntLike(t) {
			l.errorf(e, "$%s is not an integer", e.Name)
			b.MovImm(r, 0)
			return r
		}
		b.Mov(r, v.reg)
		return r
	case *ast.Map:
		return l.mapReadInt(e)
	case *ast.Ident:
		return l.builtin(e)
	case *ast.Call:
		return l.callInt(e)
	case *ast.Unary:
		return l.unary(e)
	case *ast.IncDec:
		return l.incDec(e)
	case *ast.Binary:
		return l.binary(e)
	case *ast.Ternary:
		return l.ternaryInt(e)
	case *ast.Cast:
		r := l.intExpr(e.X)
		l.truncate(r, l.typeOf(e))
		return r
	case *ast.Sizeof:
		return b.Const(int64(l.sizeof(e)))
	case *ast.Block:
		l.block(&ast.Block{Span: e.Span, Stmts: e.Stmts})
		if e.Value != nil {
			return l.intExpr(e.Value)
		}
	}
	l.errorf(e, "this expression is not supported yet")
	return b.Const(0)
}

// truncate normalises r to the width and sign of t.
func (l *lowerer) truncate(r VReg, t *types.Type) {
	if t.Kind != types.Int || t.Size >= 8 || t.Size <= 0 {
		return
	}
	if t.Signed {
		l.b.SignExtend(r, 8*t.Size)
	} else {
		l.b.ZeroExtend(r, 8*t.Size)
	}
}

func (l *lowerer) sizeof(e *ast.Sizeof) int {
	if e.X != nil {
		return l.typeOf(e.X).Size
	}
	switch e.Type.Base {
	case "int8", "uint8", "bool":
		return 1
	case "int16", "uint16":
		return 2
	case "int32", "uint32":
		return 4
	case "string":
		return types.StringSize
	}
	return 8
}

// operand lowers e as the right operand of op: a small literal becomes an
// immediate.
func (l *lowerer) operand(e ast.Expr, op string) Operand {
	if n, ok := e.(*ast.Int); ok && n.Value <= math.MaxInt32 {
		if n.Value != 0 || (op != "/" && op != "%") {
			return Imm(int64(n.Value))
		}
	}
	return R(l.intExpr(e))
}

var aluOps = map[string]asm.ALUOp{
	"+": asm.Add, "-": asm.Sub, "*": asm.Mul, "/": asm.Div, "%": asm.Mod,
	"&": asm.And, "|": asm.Or, "^": asm.Xor, "<<": asm.LSh, ">>": asm.RSh,
}

func (l *lowerer) binary(e *ast.Binary) VReg {
	switch e.Op {
	case "&&", "||", "==", "!=", "<", ">", "<=", ">=":
		return l.boolOf(e)
	}
	xt, yt := l.typeOf(e.X), l.typeOf(e.Y)
	x := l.intExpr(e.X)
	if xt.Kind == types.Pointer || yt.Kind == types.Pointer {
		l.errorf(e, "pointer arithmetic is not supported yet")
		return x
	}
	return l.binopOperand(e.Op, x, l.operand(e.Y, e.Op), e)
}

// binop computes x op y into x (x and y registers) and returns x.
func (l *lowerer) binop(op string, x, y VReg, signed bool, n ast.Node) VReg {
	switch op {
	case "==", "!=", "<", ">", "<=", ">=":
		r := l.b.Const(1)
		done := l.b.NewLabel("cmp")
		l.b.Jump(compareOp(op, signed), x, R(y), done)
		l.b.MovImm(r, 0)
		l.b.Label(done)
		return r
	}
	return l.binopOperand(op, x, R(y), n)
}

func (l *lowerer) binopOperand(op string, x VReg, y Operand, n ast.Node) VReg {
	alu, ok := aluOps[op]
	if !ok {
		l.errorf(n, "the %s operator is not supported yet", op)
		return x
	}
	// BPF masks shift counts; an immediate count must be below 64.
	if (alu == asm.LSh || alu == asm.RSh) && y.kind == operandImm && (y.imm < 0 || y.imm >= 64) {
		l.b.MovImm(x, 0)
		return x
	}
	l.b.ALU(alu, x, y)
	return x
}

// boolOf evaluates a condition to 0 or 1.
func (l *lowerer) boolOf(e ast.Expr) VReg {
	r := l.b.Const(1)
	done := l.b.NewLabel("true")
	l.cond(e, done, true)
	l.b.MovImm(r, 0)
	l.b.Label(done)
	return r
}

func (l *lowerer) unary(e *ast.Unary) VReg {
	switch e.Op {
	case "!":
		return l.boolOf(e)
	case "-":
		if n, ok := e.X.(*ast.Int); ok {
			return l.b.Const(-int64(n.Value))
		}
		r := l.intExpr(e.X)
		l.b.Neg(r)
		return r
	case "~":
		r := l.intExpr(e.X)
		l.b.ALU(asm.Xor, r, Imm(-1))
		return r
	}
	l.errorf(e, "the %s operator is not supported yet", e.Op)
	return l.b.Const(0)
}

func (l *lowerer) incDec(e *ast.IncDec) VReg {
	delta := int64(1)
	if e.Op == "--" {
		delta = -1
	}
	switch x := e.X.(type) {
	case *ast.Var:
		v := l.variable(x, x.Name, l.varType(x.Name))
		if !isIntLike(v.t) {
			break
		}
		if e.Post {
			old := l.b.NewVReg()
			l.b.Mov(old, v.reg)
			l.b.ALU(asm.Add, v.reg, Imm(delta))
			return old
		}
		l.b.ALU(asm.Add, v.reg, Imm(delta))
		r := l.b.NewVReg()
		l.b.Mov(r, v.reg)
		return r
	case *ast.Map:
		return l.mapIncDec(x, delta, e.Post)
	}
	l.errorf(e, "the %s operator must be applied to a map or variable", e.Op)
	return l.b.Const(0)
}

func (l *lowerer) ternaryInt(e *ast.Ternary) VReg {
	b := l.b
	res := b.NewVReg()
	endL := b.NewLabel("tend")
	if e.Then == nil {
		c := l.intExpr(e.Cond)
		b.Mov(res, c)
		b.Jump(asm.JNE, c, Imm(0), endL)
		b.Mov(res, l.intExpr(e.Else))
		b.Label(endL)
		return res
	}
	elseL := b.NewLabel("telse")
	l.cond(e.Cond, elseL, false)
	b.Mov(res, l.intExpr(e.Then))
	b.Ja(endL)
	b.Label(elseL)
	b.Mov(res, l.intExpr(e.Else))
	b.Label(endL)
	return res
}

// strEqual compares two strings and returns 1 when they are equal. Both
// are laid out zero-padded in buffers of the same size and compared 8
// bytes at a time.
func (l *lowerer) strEqual(e *ast.Binary) VReg {
	n := (max(l.typeOf(e.X).Size, l.typeOf(e.Y).Size) + 7) &^ 7
	x := l.tmp(e.X, n)
	l.writeValue(e.X, x, n)
	y := l.tmp(e.Y, n)
	l.writeValue(e.Y, y, n)
	res := l.b.Const(0)
	done := l.b.NewLabel("streq")
	for i := 0; i < n; i += 8 {
		a, c := l.b.NewVReg(), l.b.NewVReg()
		l.b.Load(a, x.base, x.off+i, asm.DWord)
		l.b.Load(c, y.base, y.off+i, asm.DWord)
		l.b.Jump(asm.JNE, a, R(c), done)
	}
	l.b.MovImm(res, 1)
	l.b.Label(done)
	return res
}
