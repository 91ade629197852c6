package types

// Register is one x86-64 pt_regs slot that reg("name") reads.
type Register struct {
	Name   string
	Offset int // byte offset in struct pt_regs
}

// ArchName is how bpftrace 0.17 names the architecture in messages.
const ArchName = "x86_64"

// MaxArg is the largest N of argN on x86-64 (di, si, dx, cx, r8, r9).
const MaxArg = 5

// regNames is struct pt_regs on x86-64, in order; each slot is 8 bytes.
var regNames = []string{
	"r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9", "r8",
	"ax", "cx", "dx", "si", "di", "orig_ax", "ip", "cs", "flags", "sp", "ss",
}

// argRegs are the registers of the C calling convention's first six
// integer arguments (arg0..arg5).
var argRegs = []string{"di", "si", "dx", "cx", "r8", "r9"}

// LookupRegister returns the pt_regs slot of an x86-64 register name as
// reg() spells it.
func LookupRegister(name string) (Register, bool) {
	for i, n := range regNames {
		if n == name {
			return Register{Name: n, Offset: 8 * i}, true
		}
	}
	return Register{}, false
}

// ArgRegister returns the register holding C argument n (0-based).
func ArgRegister(n int) (Register, bool) {
	if n < 0 || n >= len(argRegs) {
		return Register{}, false
	}
	return LookupRegister(argRegs[n])
}
