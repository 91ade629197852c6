package runtime

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/cilium/ebpf"

	"github.com/gobpftrace/gobpftrace/codegen"
)

// VerifyResult is what the kernel verifier reported for one program that it
// accepted.
type VerifyResult struct {
	Name     string // the program's name (codegen.Probe.Name)
	Provider string // its provider (codegen.Probe.Provider)
	// Insns is the number of instructions codegen emitted (a 64-bit
	// immediate load counts once).
	Insns int
	// Processed is the verifier's "processed N insns": how many
	// instructions it walked over all paths.
	Processed int
	// StackDepth is the verifier's "stack depth" line as printed (one
	// number per subprogram, e.g. "24+0"), "" when the log has none.
	StackDepth string
}

// processedLine matches the verifier's statistics line, e.g.
// "processed 12 insns (limit 1000000) max_states_per_insn 0 ...".
var processedLine = regexp.MustCompile(`^processed (\d+) insns`)

// Verify loads every map and program of a compiled script, so that the
// kernel verifier checks each program, and closes them all again. Nothing
// is attached and no event reader is opened, so it works for providers
// that this kernel (or this host) could not attach. The results are in
// prog.Probes order. A rejection is returned as a *VerifierError naming the
// program, the kernel's reason and the script line of the failing
// instruction.
func Verify(prog *codegen.Program) ([]VerifyResult, error) {
	spec := collectionSpec(prog)
	objs, err := LoadSpec(spec, &LoadOptions{LogLevel: ebpf.LogLevelStats})
	var ve *VerifierError
	if errors.As(err, &ve) && ve.Index < 0 {
		// A statistics-only log does not show the instructions; load
		// again with the default log, which does, to name the failing one.
		if objs, err2 := LoadSpec(spec, nil); err2 != nil {
			err = err2
		} else {
			objs.Close() // cannot happen: the verifier is deterministic
		}
	}
	if err != nil {
		return nil, err
	}
	defer objs.Close()
	out := make([]VerifyResult, 0, len(prog.Probes))
	for _, p := range prog.Probes {
		kp := objs.Program(p.Name)
		if kp == nil {
			return nil, fmt.Errorf("program %s was not loaded", p.Name)
		}
		r := VerifyResult{Name: p.Name, Provider: p.Provider, Insns: len(p.Insns), Processed: -1}
		for _, l := range strings.Split(kp.VerifierLog, "\n") {
			l = strings.TrimSpace(l)
			if m := processedLine.FindStringSubmatch(l); m != nil {
				r.Processed, _ = strconv.Atoi(m[1])
			} else if d, ok := strings.CutPrefix(l, "stack depth "); ok {
				r.StackDepth = d
			}
		}
		if r.Processed < 0 {
			return nil, fmt.Errorf("program %s: no \"processed N insns\" line in the verifier log %q", p.Name, kp.VerifierLog)
		}
		out = append(out, r)
	}
	return out, objs.Close()
}
