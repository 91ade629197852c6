package codegen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cilium/ebpf/asm"
)

// blockLiveness returns "in / out" sets per block, keyed by the block's
// label ("entry" for the first).
func blockLiveness(t *testing.T, b *Builder) map[string]string {
	t.Helper()
	c, err := buildCFG(b.insts)
	if err != nil {
		t.Fatal(err)
	}
	lv := vregLiveness(c, b.insts, b.nvreg)
	set := func(s bitset) string {
		var vs []string
		s.each(func(v int) { vs = append(vs, VReg(v).String()) })
		return strings.Join(vs, " ")
	}
	out := map[string]string{}
	for bi, blk := range c.blocks {
		name := "entry"
		if in := b.insts[blk.start]; in.op == irLabel {
			name = in.label
		} else if bi > 0 {
			name = fmt.Sprintf("b%d", bi)
		}
		out[name] = fmt.Sprintf("in[%s] out[%s]", set(lv.in[bi]), set(lv.out[bi]))
	}
	return out
}

func checkLive(t *testing.T, got, want map[string]string) {
	t.Helper()
	for k, w := range want {
		if got[k] != w {
			t.Errorf("block %s: got %s, want %s", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("blocks: got %v, want %v", got, want)
	}
}

func TestLivenessDiamond(t *testing.T) {
	b := NewBuilder()
	x, y, z := b.Const(1), b.Const(2), b.NewVReg() // v1 v2 v3
	b.Jump(asm.JEq, x, Imm(0), "else")
	b.Mov(z, x) // then: z = x; y dead here
	b.Ja("join")
	b.Label("else")
	b.Mov(z, y)
	b.Label("join")
	b.Exit(R(z))
	checkLive(t, blockLiveness(t, b), map[string]string{
		"entry": "in[] out[v1 v2]",
		"b1":    "in[v1] out[v3]",
		"else":  "in[v2] out[v3]",
		"join":  "in[v3] out[]",
	})
}

func TestLivenessLoop(t *testing.T) {
	b := NewBuilder()
	n, acc, k := b.Const(10), b.Const(0), b.Const(3) // v1 v2 v3
	b.Label("top")
	b.ALU(asm.Add, acc, R(k)) // k is live around the back edge
	b.ALU(asm.Sub, n, Imm(1))
	b.Jump(asm.JNE, n, Imm(0), "top")
	b.Exit(R(acc))
	checkLive(t, blockLiveness(t, b), map[string]string{
		"entry": "in[] out[v1 v2 v3]",
		"top":   "in[v1 v2 v3] out[v1 v2 v3]",
		"b2":    "in[v2] out[]",
	})
}

func TestLivenessCtxAndDeadDef(t *testing.T) {
	b := NewBuilder() // v0 = ctx
	d := b.Const(5)   // v1, never used
	_ = d
	r := b.Call(asm.FnKtimeGetNs)
	b.Jump(asm.JEq, r, Imm(0), "x")
	b.Label("x")
	v := b.NewVReg()
	b.Load(v, b.Ctx(), 0, asm.Word)
	b.Exit(R(v))
	checkLive(t, blockLiveness(t, b), map[string]string{
		"entry": "in[] out[v0]",
		"x":     "in[v0] out[]",
	})
}

func TestUseBeforeDefinition(t *testing.T) {
	b := NewBuilder()
	x, y := b.Const(1), b.NewVReg()
	b.Jump(asm.JEq, x, Imm(0), "skip")
	b.MovImm(y, 2) // y defined on one path only
	b.Label("skip")
	b.SetSource("print(y)")
	b.Exit(R(y))
	_, err := b.Compile()
	if err == nil || !strings.Contains(err.Error(), "v2 may be used before it is defined") || !strings.Contains(err.Error(), "print(y)") {
		t.Fatalf("got %v", err)
	}
}

func TestPruneUnreachable(t *testing.T) {
	b := NewBuilder()
	b.Exit(Imm(3))
	b.Label("dead") // nobody jumps here
	b.Exit(Imm(4))
	insns, err := b.Compile()
	if err != nil {
		t.Fatal(err)
	}
	if len(insns) != 2 {
		t.Fatalf("unreachable code kept:\n%v", insns)
	}
}
