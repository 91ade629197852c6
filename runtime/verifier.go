package runtime

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
)

// VerifierError is a program the kernel's verifier rejected, with the
// instruction it stopped at, so that the caller can name the source line
// that produced it (codegen annotates instructions with
// asm.Instruction.WithSource).
type VerifierError struct {
	Program string // the program's name in the CollectionSpec
	// Offset is the failing instruction as the log numbers it: in 8-byte
	// slots, where a 64-bit immediate load takes two. -1 when the log names
	// no instruction.
	Offset int
	// Index is the failing instruction's index in the ProgramSpec's
	// Instructions, -1 when unknown.
	Index int
	// Insn is that instruction (zero when Index is -1).
	Insn asm.Instruction
	// Source is the source annotation of the failing instruction, or of the
	// nearest instruction before it that has one; nil when there is none.
	Source fmt.Stringer
	// Reason is the verifier's last message line, e.g. "R2 !read_ok".
	Reason string
	Log    []string // the whole verifier log
	Err    error    // the underlying *ebpf.VerifierError
}

func (e *VerifierError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "program %s rejected by the verifier", e.Program)
	if e.Index >= 0 {
		fmt.Fprintf(&b, " at instruction %d", e.Index)
	}
	if e.Source != nil {
		fmt.Fprintf(&b, " (%s)", strings.TrimSpace(e.Source.String()))
	}
	if e.Reason != "" {
		fmt.Fprintf(&b, ": %s", e.Reason)
	}
	return b.String()
}

func (e *VerifierError) Unwrap() error { return e.Err }

// loadProgram loads one program; a verifier rejection becomes a
// *VerifierError pointing into spec.Instructions.
func loadProgram(name string, spec *ebpf.ProgramSpec, opts ebpf.ProgramOptions) (*ebpf.Program, error) {
	p, err := ebpf.NewProgramWithOptions(spec, opts)
	if err == nil {
		return p, nil
	}
	var ve *ebpf.VerifierError
	if !errors.As(err, &ve) {
		return nil, fmt.Errorf("program %s: %w", name, err)
	}
	return nil, newVerifierError(name, spec.Instructions, ve.Log, err)
}

func newVerifierError(name string, insns asm.Instructions, log []string, err error) *VerifierError {
	e := &VerifierError{Program: name, Offset: -1, Index: -1, Log: log, Err: err}
	e.Offset = FailingOffset(log)
	e.Reason = lastReason(log)
	if e.Offset >= 0 {
		e.Index = IndexAtOffset(insns, e.Offset)
	}
	if e.Index >= 0 {
		e.Insn = insns[e.Index]
		for i := e.Index; i >= 0; i-- {
			if src := insns[i].Source(); src != nil {
				e.Source = src
				break
			}
		}
	}
	return e
}

// insnLine matches a verifier log line that shows an instruction:
// "12: (85) call bpf_map_lookup_elem#1".
var insnLine = regexp.MustCompile(`^(\d+): \([0-9a-f]{2}\)`)

// FailingOffset returns the instruction offset (in 8-byte slots) of the
// last instruction the verifier log shows, which is the one it rejected, or
// -1 when the log shows none.
func FailingOffset(log []string) int {
	for i := len(log) - 1; i >= 0; i-- {
		if m := insnLine.FindStringSubmatch(log[i]); m != nil {
			n, err := strconv.Atoi(m[1])
			if err == nil {
				return n
			}
		}
	}
	return -1
}

// lastReason is the last log line that is not the "processed N insns"
// summary or blank.
func lastReason(log []string) string {
	for i := len(log) - 1; i >= 0; i-- {
		l := strings.TrimSpace(log[i])
		if l == "" || strings.HasPrefix(l, "processed ") || strings.HasPrefix(l, "verification time") ||
			strings.HasPrefix(l, "stack depth") || strings.HasPrefix(l, "mark_precise") {
			continue
		}
		return l
	}
	return ""
}

// IndexAtOffset converts an offset in 8-byte slots into an index into
// insns, or -1 when no instruction starts there.
func IndexAtOffset(insns asm.Instructions, off int) int {
	slot := 0
	for i, ins := range insns {
		if slot == off {
			return i
		}
		slot += int(ins.Size() / asm.InstructionSize)
	}
	return -1
}
