package goabi

// PtRegsOffset returns the byte offset in the kernel's struct pt_regs (what
// a uprobe's BPF program gets as its context) of an integer register named
// as in Piece.Reg. Floating-point registers (X0, F0) are not in pt_regs:
// ok is false for them.
func PtRegsOffset(arch, reg string) (off int, ok bool) {
	switch arch {
	case "amd64":
		off, ok = amd64PtRegs[reg]
	case "arm64":
		var n int
		if len(reg) >= 2 && reg[0] == 'R' {
			for _, c := range reg[1:] {
				if c < '0' || c > '9' {
					return 0, false
				}
				n = n*10 + int(c-'0')
			}
			if n <= 30 {
				return 8 * n, true // user_pt_regs.regs[n]
			}
		}
	}
	return off, ok
}

var amd64PtRegs = map[string]int{
	"R15": 0, "R14": 8, "R13": 16, "R12": 24, "RBP": 32, "RBX": 40, "R11": 48,
	"R10": 56, "R9": 64, "R8": 72, "RAX": 80, "RCX": 88, "RDX": 96, "RSI": 104,
	"RDI": 112, "RIP": 128, "RSP": 152,
}
