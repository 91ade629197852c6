package codegen

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"

	"github.com/cilium/ebpf/asm"
)

// This file holds the machine model shared by two tiny interpreters used
// by the property tests (regalloc_run_test.go): runIR runs the IR directly,
// runBPF runs emitted BPF. The model: a 512-byte stack at stackTop, a
// read-only context region at ctxBase, fake helpers, BPF's ALU semantics.

const (
	stackTop = 0x7f0000000200 // r10
	ctxBase  = 0x5c0000000000 // r1 at entry
	ctxSize  = 64
	maxSteps = 100000
)

// helperArity lists the fake helpers and how many arguments they read.
var helperArity = map[asm.BuiltinFunc]int{
	asm.FnKtimeGetNs:        0,
	asm.FnGetPrandomU32:     0,
	asm.FnMapLookupElem:     2,
	asm.FnProbeRead:         3, // stores arg2*3 to *(u64 *)arg1, returns 0
	asm.FnTracePrintk:       5,
	asm.FnGetCurrentPidTgid: 1,
}

type machine struct {
	stack  [512]byte
	init   [512]bool
	calls  int
	trace  uint64 // hash of every helper call and its arguments
	steps  int
	failed error
}

func (m *machine) fail(format string, args ...any) {
	if m.failed == nil {
		m.failed = fmt.Errorf(format, args...)
	}
}

func mix(h, v uint64) uint64 {
	h ^= v + 0x9e3779b97f4a7c15 + h<<6 + h>>2
	return h * 0xff51afd7ed558ccd
}

func ctxByte(i int) byte { return byte(0x11*i + 3) }

func mapAddr(name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return 0x3000000000000000 | h.Sum64()>>8
}

func (m *machine) load(addr uint64, n int) uint64 {
	var b [8]byte
	switch {
	case addr >= ctxBase && addr+uint64(n) <= ctxBase+ctxSize:
		for i := 0; i < n; i++ {
			b[i] = ctxByte(int(addr-ctxBase) + i)
		}
	case addr >= stackTop-512 && addr+uint64(n) <= stackTop:
		o := int(addr - (stackTop - 512))
		for i := 0; i < n; i++ {
			if !m.init[o+i] {
				m.fail("read of uninitialised stack at fp%+d", int(addr)-stackTop+i)
			}
			b[i] = m.stack[o+i]
		}
	default:
		m.fail("load of %d bytes from bad address %#x", n, addr)
	}
	return binary.LittleEndian.Uint64(b[:])
}

func (m *machine) store(addr uint64, n int, v uint64) {
	if addr < stackTop-512 || addr+uint64(n) > stackTop {
		m.fail("store of %d bytes to bad address %#x", n, addr)
		return
	}
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	o := int(addr - (stackTop - 512))
	copy(m.stack[o:o+n], b[:n])
	for i := 0; i < n; i++ {
		m.init[o+i] = true
	}
}

// helper runs a fake helper on its arguments and returns its result.
func (m *machine) helper(fn asm.BuiltinFunc, args []uint64) uint64 {
	n, ok := helperArity[fn]
	if !ok || len(args) < n {
		m.fail("unknown helper %v or too few arguments", fn)
		return 0
	}
	m.calls++
	h := mix(uint64(fn), uint64(m.calls))
	for _, a := range args[:n] {
		h = mix(h, a)
	}
	m.trace = mix(m.trace, h)
	switch fn {
	case asm.FnKtimeGetNs, asm.FnGetPrandomU32: // in the kernel's ranges
		return h >> 33
	case asm.FnProbeRead:
		m.store(args[0], 8, args[1]*3)
		return 0
	}
	return h
}

func sizeBytes(s asm.Size) int { return s.Sizeof() }

// aluEval computes dst op src with BPF semantics (unsigned division, x/0 =
// 0, x%0 = x, shift amounts masked).
func aluEval(op asm.ALUOp, is32 bool, dst, src uint64) uint64 {
	if is32 {
		d, s := uint32(dst), uint32(src)
		var r uint32
		switch op {
		case asm.Add:
			r = d + s
		case asm.Sub:
			r = d - s
		case asm.Mul:
			r = d * s
		case asm.Div:
			if s != 0 {
				r = d / s
			}
		case asm.Mod:
			r = d
			if s != 0 {
				r = d % s
			}
		case asm.Or:
			r = d | s
		case asm.And:
			r = d & s
		case asm.Xor:
			r = d ^ s
		case asm.LSh:
			r = d << (s & 31)
		case asm.RSh:
			r = d >> (s & 31)
		case asm.ArSh:
			r = uint32(int32(d) >> (s & 31))
		case asm.Neg:
			r = -d
		case asm.Mov:
			r = s
		}
		return uint64(r)
	}
	switch op {
	case asm.Add:
		return dst + src
	case asm.Sub:
		return dst - src
	case asm.Mul:
		return dst * src
	case asm.Div:
		if src == 0 {
			return 0
		}
		return dst / src
	case asm.Mod:
		if src == 0 {
			return dst
		}
		return dst % src
	case asm.Or:
		return dst | src
	case asm.And:
		return dst & src
	case asm.Xor:
		return dst ^ src
	case asm.LSh:
		return dst << (src & 63)
	case asm.RSh:
		return dst >> (src & 63)
	case asm.ArSh:
		return uint64(int64(dst) >> (src & 63))
	case asm.Neg:
		return -dst
	case asm.Mov:
		return src
	}
	return 0
}

// jumpEval reports whether a op b holds.
func jumpEval(op asm.JumpOp, a, b uint64) bool {
	switch op {
	case asm.Ja:
		return true
	case asm.JEq:
		return a == b
	case asm.JNE:
		return a != b
	case asm.JGT:
		return a > b
	case asm.JGE:
		return a >= b
	case asm.JLT:
		return a < b
	case asm.JLE:
		return a <= b
	case asm.JSGT:
		return int64(a) > int64(b)
	case asm.JSGE:
		return int64(a) >= int64(b)
	case asm.JSLT:
		return int64(a) < int64(b)
	case asm.JSLE:
		return int64(a) <= int64(b)
	case asm.JSet:
		return a&b != 0
	}
	return false
}

var nativeEndian = binary.LittleEndian
