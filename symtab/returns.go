package symtab

import (
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/arch/x86/x86asm"
)

// This file finds the return instructions of a function, so that a return
// probe on a Go function can be a plain uprobe on each RET instead of a
// kernel uretprobe: a kernel uretprobe replaces the return address on the
// stack, and Go, which copies goroutine stacks when they grow, then finds
// a return address it does not know and crashes the program.

// maxFuncSize bounds the bytes Returns reads for one function: a symbol
// claiming more is not a function we can decode.
const maxFuncSize = 64 << 20

// ErrNoReturn is returned (wrapped) for a function without a RET
// instruction: one that never returns, or that ends in a tail call.
var ErrNoReturn = errors.New("no RET instruction")

// Returns returns the link-time addresses of every RET instruction of fn,
// in address order, by decoding its machine code from the binary at
// t.Path. At each of them the function's frame is gone: the stack pointer
// points at the return address and, with Go's register ABI (Go ≥ 1.17 on
// amd64), the results are in RAX, RBX, RCX, RDI, RSI, R8, R9, R10, R11.
// Only amd64 code is decoded; other machines give an error.
func (t *Table) Returns(fn Symbol) ([]uint64, error) {
	if t.Path == "" {
		return nil, errors.New("finding return instructions needs the binary's path (use Open)")
	}
	f, err := os.Open(t.Path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return t.ReturnsIn(f, fn)
}

// ReturnsIn is Returns reading the binary's bytes from r, the file the
// table was read from.
func (t *Table) ReturnsIn(r io.ReaderAt, fn Symbol) ([]uint64, error) {
	if t.Machine != elf.EM_X86_64 {
		return nil, fmt.Errorf("%s: finding return instructions is only supported for x86-64 code, not %v", fn.Name, t.Machine)
	}
	code, err := t.code(r, fn)
	if err != nil {
		return nil, err
	}
	return DecodeReturns(fn.Name, code, fn.Addr)
}

// code reads the bytes of fn from the file.
func (t *Table) code(r io.ReaderAt, fn Symbol) ([]byte, error) {
	if fn.Size == 0 {
		return nil, fmt.Errorf("%s: the function's size is unknown, so its return instructions cannot be found", fn.Name)
	}
	if fn.Size > maxFuncSize {
		return nil, fmt.Errorf("%s: function size %d is too large to decode", fn.Name, fn.Size)
	}
	for _, p := range t.textSeg {
		if fn.Addr < p.Vaddr || fn.Addr+fn.Size > p.Vaddr+p.Filesz {
			continue
		}
		code := make([]byte, fn.Size)
		if _, err := r.ReadAt(code, int64(fn.Addr-p.Vaddr+p.Off)); err != nil {
			return nil, fmt.Errorf("%s: reading its code: %w", fn.Name, err)
		}
		return code, nil
	}
	return nil, fmt.Errorf("%s: [%#x, %#x) is not inside an executable segment", fn.Name, fn.Addr, fn.Addr+fn.Size)
}

// DecodeReturns decodes the x86-64 machine code of the function name,
// loaded at addr, and returns the addresses of its RET instructions. An
// instruction it cannot decode is an error: guessing its length could put
// a breakpoint in the middle of an instruction and corrupt the program.
// A function without a RET gives an error wrapping ErrNoReturn.
func DecodeReturns(name string, code []byte, addr uint64) ([]uint64, error) {
	var out []uint64
	for pc := 0; pc < len(code); {
		inst, err := x86asm.Decode(code[pc:], 64)
		if err == nil && (inst.Len == 0 || inst.Op == 0) {
			// x86asm returns a bare prefix, with no error, for an
			// instruction cut short.
			err = x86asm.ErrTruncated
		}
		if err != nil {
			end := min(pc+15, len(code))
			return nil, fmt.Errorf("%s+%#x: cannot decode the instruction (% x): %w", name, pc, code[pc:end], err)
		}
		if inst.Op == x86asm.VZEROUPPER || inst.Op == x86asm.VZEROALL {
			// x86asm counts a ModRM byte these have not (Go's assembly
			// uses VZEROUPPER): the VEX prefix and the opcode are all.
			inst.Len = vexLen(code[pc]) + 1
		}
		if inst.Op == x86asm.RET {
			out = append(out, addr+uint64(pc))
		}
		pc += inst.Len
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: %w: it never returns or ends in a tail call", name, ErrNoReturn)
	}
	return out, nil
}

// vexLen is the length of the VEX prefix starting with b: 0xC5 is the
// two-byte form, 0xC4 the three-byte one.
func vexLen(b byte) int {
	if b == 0xc5 {
		return 2
	}
	return 3
}
