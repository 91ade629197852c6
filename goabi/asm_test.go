package goabi

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestAgainstCompiler checks Func's locations against what the compiler
// does. testdata/sigs stores every parameter piece to a global named
// P__<func>__<param>__<offset> and main stores result pieces to
// R__<func>__<index>__<offset>; in the `go build -gcflags=-S` listing each
// such store reads a register, or a register just loaded from the stack.
func TestAgainstCompiler(t *testing.T) {
	for _, arch := range []string{"amd64", "arm64"} {
		t.Run(arch, func(t *testing.T) { testAgainstCompiler(t, arch) })
	}
}

func testAgainstCompiler(t *testing.T, arch string) {
	path, asm := sigsFor(t, arch)
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.Arch != arch || !b.RegABI {
		t.Fatalf("Open: arch %s regabi %v, want %s true", b.Arch, b.RegABI, arch)
	}
	obs := parseStores(asm)
	declared := regexp.MustCompile(`\b[PR]__\w+__\w+__\d+\b`).FindAllString(sigsSource(t), -1)
	seen := map[string]bool{}
	for _, o := range obs {
		seen[o.global] = true
	}
	for _, g := range declared {
		if !seen[g] {
			t.Errorf("no store to %s in the assembly listing", g)
		}
	}
	funcs := map[string]string{"value": "main.Money.Value", "pointer": "main.(*Money).Add"}
	checked := 0
	for _, o := range obs {
		parts := strings.Split(o.global, "__") // P, func, param, offset
		fn := funcs[parts[1]]
		if fn == "" {
			fn = "main." + parts[1]
		}
		f, err := b.Func(fn)
		if err != nil {
			t.Errorf("Func(%s): %v", fn, err)
			continue
		}
		var p *Param
		if parts[0] == "P" {
			p, _ = f.Param(parts[2])
		} else if i, _ := strconv.Atoi(parts[2]); i < len(f.Results) {
			p = f.Results[i]
		}
		if p == nil {
			t.Errorf("%s: %s has no %s", o.global, fn, parts[2])
			continue
		}
		off, _ := strconv.ParseInt(parts[3], 10, 64)
		piece, ok := p.Loc.Find(off+o.plus, 1)
		var got string
		switch {
		case !ok:
			got = "nothing"
		case piece.Reg != "":
			got = asmReg(piece.Reg)
		default:
			got = "SP+" + strconv.FormatInt(piece.Stack, 10)
		}
		if got != o.src {
			t.Errorf("%s+%d: Func says %s (%v), compiler reads %s\n\t%s", o.global, o.plus, got, p.Loc, o.src, o.line)
		}
		checked++
	}
	t.Logf("%d stores checked against the compiler", checked)
}

type store struct {
	global string
	plus   int64  // the +K of main.global+K(SB)
	src    string // "AX", "X0" or "SP+16" (relative to the callee's entry SP)
	line   string
}

var (
	instRE  = regexp.MustCompile(`^\s+0x[0-9a-f]+ \d+ \([^)]*\)\t(\S+)\t?(.*)$`)
	storeRE = regexp.MustCompile(`^main\.([PR]__\w+?)(?:\+(\d+))?\(SB\)$`)
	// A stack slot: main.x+8(SP) in a frameless callee (entry SP), or
	// 8(SP) in main right after a CALL (the callee's entry SP is 8 below).
	pairRE = regexp.MustCompile(`^\((\w+), (\w+)\), (.*)$`)
	slotRE = regexp.MustCompile(`^(main\.\w+)?\+?(\d+)?\((SP|FP)\)$`)
)

// parseStores finds the stores to the P__/R__ globals in an amd64 listing
// and where their value came from.
func parseStores(asm string) []store {
	var out []store
	from := map[string]string{} // register -> operand it was last loaded from
	for _, line := range strings.Split(asm, "\n") {
		if strings.Contains(line, " STEXT ") {
			from = map[string]string{}
			continue
		}
		m := instRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		op, args := m[1], strings.Split(m[2], ", ")
		if p := pairRE.FindStringSubmatch(m[2]); p != nil && (op == "STP" || op == "FSTPD" || op == "FSTPS") {
			// arm64 STP (R2, R3), main.x(SB): two stores.
			if s := storeRE.FindStringSubmatch(p[3]); s != nil {
				plus, _ := strconv.ParseInt(s[2], 10, 64)
				size := int64(8)
				if op == "FSTPS" {
					size = 4
				}
				out = append(out, store{s[1], plus, resolve(from, p[1], 0), line},
					store{s[1], plus + size, resolve(from, p[2], 0), line})
			}
			continue
		}
		if op == "CALL" {
			from = map[string]string{}
			continue
		}
		if !strings.HasPrefix(op, "MOV") && !strings.HasPrefix(op, "FMOV") || len(args) != 2 {
			if len(args) == 2 {
				delete(from, normReg(args[1]))
			}
			continue
		}
		src, dst := args[0], args[1]
		if s := storeRE.FindStringSubmatch(dst); s != nil {
			plus, _ := strconv.ParseInt(s[2], 10, 64)
			out = append(out, store{global: s[1], plus: plus, src: resolve(from, src, 0), line: strings.TrimSpace(line)})
			continue
		}
		if r := normReg(dst); isReg(r) {
			from[r] = src
		}
	}
	return out
}

// resolve follows register-to-register moves and one stack load back to
// where a value came from.
func resolve(from map[string]string, operand string, depth int) string {
	if m := slotRE.FindStringSubmatch(operand); m != nil {
		n, _ := strconv.ParseInt(m[2], 10, 64)
		if m[1] == "" || m[3] == "FP" {
			n += 8 // caller-side N(SP), or FP: both start above the return address
		}
		return "SP+" + strconv.FormatInt(n, 10)
	}
	r := normReg(operand)
	if src, ok := from[r]; ok && depth < 4 {
		return resolve(from, src, depth+1)
	}
	return r
}

func isReg(r string) bool {
	return regRE.MatchString(r)
}

var regRE = regexp.MustCompile(`^([A-D]X|SI|DI|R\d+|X\d+|F\d+)$`)

// normReg spells byte registers (AL, SIB, R8B) as their full register.
func normReg(r string) string {
	switch r {
	case "AL", "BL", "CL", "DL":
		return r[:1] + "X"
	case "SIB", "DIB":
		return r[:2]
	}
	if strings.HasPrefix(r, "R") && strings.HasSuffix(r, "B") {
		return strings.TrimSuffix(r, "B")
	}
	return r
}

// asmReg spells a Piece register the way the Go assembler does.
func asmReg(r string) string {
	switch r {
	case "RAX", "RBX", "RCX", "RDX", "RSI", "RDI":
		return r[1:]
	}
	return r
}
