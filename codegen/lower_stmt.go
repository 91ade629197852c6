package codegen

import (
	"github.com/cilium/ebpf/asm"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/types"
)

// block lowers the statements of a block (and its trailing value, whose
// result is dropped).
func (l *lowerer) block(bl *ast.Block) {
	for _, s := range bl.Stmts {
		l.stmtAt(s)
	}
	if bl.Value != nil {
		l.b.SetSource(l.c.source(bl.Value))
		l.resetStmt(bl.Value)
		l.exprStmt(bl.Value)
	}
}

// stmtAt lowers one statement under its source annotation.
func (l *lowerer) stmtAt(s ast.Stmt) {
	switch s.(type) {
	case *ast.Block:
	default:
		l.b.SetSource(l.c.source(s))
	}
	l.resetStmt(s)
	l.stmt(s)
}

func (l *lowerer) stmt(s ast.Stmt) {
	b := l.b
	switch s := s.(type) {
	case *ast.ExprStmt:
		if bl, ok := s.X.(*ast.Block); ok {
			l.block(bl)
			return
		}
		l.exprStmt(s.X)
	case *ast.DiscardStmt:
		l.exprStmt(s.X)
	case *ast.AssignStmt:
		switch t := s.Target.(type) {
		case *ast.Var:
			l.assignVar(s, t)
		case *ast.Map:
			l.assignMap(s, t)
		default:
			l.errorf(s, "only variables and maps can be assigned to")
		}
	case *ast.LetStmt:
		if s.Value != nil {
			l.storeVar(s.Var, s.Value)
		} else {
			l.initVar(s.Var.Name, l.varType(s.Var.Name))
		}
	case *ast.IfStmt:
		elseL, endL := b.NewLabel("else"), b.NewLabel("endif")
		l.cond(s.Cond, elseL, false)
		l.block(s.Then)
		if s.Else == nil {
			b.Label(elseL)
			b.Label(endL)
			return
		}
		b.Ja(endL)
		b.Label(elseL)
		switch e := s.Else.(type) {
		case *ast.Block:
			l.block(e)
		default:
			l.stmtAt(e)
		}
		b.Label(endL)
	case *ast.WhileStmt:
		top, endL := b.NewLabel("while"), b.NewLabel("done")
		b.Label(top)
		l.resetStmt(s)
		l.cond(s.Cond, endL, false)
		l.loops = append(l.loops, loopLabels{brk: endL, cont: top})
		l.block(s.Body)
		l.loops = l.loops[:len(l.loops)-1]
		b.SetSource(l.c.source(s))
		b.Ja(top)
		b.Label(endL)
	case *ast.UnrollStmt:
		n, _ := s.Count.(*ast.Int)
		if n == nil {
			l.errorf(s, "invalid unroll value")
			return
		}
		for i := uint64(0); i < n.Value && i < 100 && len(b.insts) <= MaxInsns; i++ {
			l.block(s.Body)
		}
	case *ast.JumpStmt:
		switch s.Kind {
		case "return":
			b.Exit(Imm(0))
		case "break", "continue":
			if len(l.loops) == 0 {
				l.errorf(s, "%s used outside of a loop", s.Kind)
				return
			}
			ll := l.loops[len(l.loops)-1]
			if s.Kind == "break" {
				b.Ja(ll.brk)
			} else {
				b.Ja(ll.cont)
			}
		}
	case *ast.Block:
		l.block(s)
	default:
		l.errorf(s, "this statement is not supported yet")
	}
}

// exprStmt lowers an expression whose value is dropped.
func (l *lowerer) exprStmt(e ast.Expr) {
	if c, ok := e.(*ast.Call); ok {
		l.callStmt(c)
		return
	}
	t := l.typeOf(e)
	switch {
	case isIntLike(t):
		l.intExpr(e)
	case t.IsNone():
		if _, ok := e.(*ast.Block); ok {
			l.block(e.(*ast.Block))
		}
	default:
		if t.Size > 0 {
			l.writeValue(e, l.tmp(e, t.Size), t.Size)
		}
	}
}

// typeOf returns the checked type of e.
func (l *lowerer) typeOf(e ast.Expr) *types.Type { return l.c.info.TypeOf(e) }

// assignVar lowers `$x = v` and `$x op= v`.
func (l *lowerer) assignVar(s *ast.AssignStmt, v *ast.Var) {
	if s.Op == "=" {
		l.storeVar(v, s.Value)
		return
	}
	t := l.varType(v.Name)
	if !isIntLike(t) {
		l.errorf(s, "compound assignment to a %s variable is not supported", t)
		return
	}
	vr := l.variable(v, v.Name, t)
	x := l.b.NewVReg()
	l.b.Mov(x, vr.reg)
	y := l.intExpr(s.Value)
	r := l.binop(s.Op[:len(s.Op)-1], x, y, t.Signed && l.typeOf(s.Value).Signed, s)
	l.b.Mov(vr.reg, r)
}

// storeVar stores the value of e into $v.
func (l *lowerer) storeVar(v *ast.Var, e ast.Expr) {
	t := l.varType(v.Name)
	if t.IsNone() {
		l.errorf(v, "variable $%s has no type", v.Name)
		return
	}
	vr := l.variable(v, v.Name, t)
	if isIntLike(t) {
		r := l.intExpr(e)
		l.b.Mov(vr.reg, r)
		return
	}
	l.writeValue(e, vr.mem, (t.Size+7)&^7)
}

// cond jumps to label when e is false (or, with onTrue, when e is true).
// Comparisons and && || ! become branches directly.
func (l *lowerer) cond(e ast.Expr, label string, onTrue bool) {
	b := l.b
	switch e := e.(type) {
	case *ast.Unary:
		if e.Op == "!" {
			l.cond(e.X, label, !onTrue)
			return
		}
	case *ast.Binary:
		switch e.Op {
		case "&&", "||":
			// Jump to label when (x && y) is false: x false or y false.
			if (e.Op == "&&") != onTrue {
				l.cond(e.X, label, onTrue)
				l.cond(e.Y, label, onTrue)
				return
			}
			// Jump when both are true (&&) or both false (||): decide
			// on x first, skipping y when x already settles it.
			skip := b.NewLabel("sc")
			l.cond(e.X, skip, !onTrue)
			l.cond(e.Y, label, onTrue)
			b.Label(skip)
			return
		case "==", "!=", "<", ">", "<=", ">=":
			xt, yt := l.typeOf(e.X), l.typeOf(e.Y)
			if xt.Kind == types.String && yt.Kind == types.String {
				eq := l.strEqual(e)
				op := asm.JEq // jump when the strings differ
				if (e.Op == "==") == onTrue {
					op = asm.JNE
				}
				b.Jump(op, eq, Imm(0), label)
				return
			}
			if isIntLike(xt) && isIntLike(yt) {
				x := l.intExpr(e.X)
				y := l.operand(e.Y, e.Op)
				op := compareOp(e.Op, xt.Signed && yt.Signed)
				if !onTrue {
					op = negate(op)
				}
				b.Jump(op, x, y, label)
				return
			}
		}
	}
	r := l.intExpr(e)
	op := asm.JEq
	if onTrue {
		op = asm.JNE
	}
	b.Jump(op, r, Imm(0), label)
}

// compareOp returns the jump that is taken when `x op y` holds.
func compareOp(op string, signed bool) asm.JumpOp {
	switch op {
	case "==":
		return asm.JEq
	case "!=":
		return asm.JNE
	case "<":
		if signed {
			return asm.JSLT
		}
		return asm.JLT
	case ">":
		if signed {
			return asm.JSGT
		}
		return asm.JGT
	case "<=":
		if signed {
			return asm.JSLE
		}
		return asm.JLE
	}
	if signed {
		return asm.JSGE
	}
	return asm.JGE
}

// negate returns the jump taken exactly when j is not.
func negate(j asm.JumpOp) asm.JumpOp {
	switch j {
	case asm.JEq:
		return asm.JNE
	case asm.JNE:
		return asm.JEq
	case asm.JLT:
		return asm.JGE
	case asm.JGE:
		return asm.JLT
	case asm.JGT:
		return asm.JLE
	case asm.JLE:
		return asm.JGT
	case asm.JSLT:
		return asm.JSGE
	case asm.JSGE:
		return asm.JSLT
	case asm.JSGT:
		return asm.JSLE
	}
	return asm.JSGT // JSLE
}
