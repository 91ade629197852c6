package output

import (
	"math"
	"strconv"
	"strings"
)

// arg is one printf argument: its bpftrace expression and the value the
// runtime would decode for it.
type arg struct {
	bt string
	v  Value
}

func I(n int64) arg            { return arg{strconv.FormatInt(n, 10), Int(n)} }
func E(bt string, v Value) arg { return arg{bt, v} }
func S(s string) arg {
	q := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`).Replace(s)
	return arg{`"` + q + `"`, Str(s)}
}
func B(s string) arg {
	return arg{`buf("` + s + `", ` + strconv.Itoa(len(s)) + `)`, Buf([]byte(s))}
}

// printfCase is one printf call checked against bpftrace 0.17. A case
// whose format bpftrace rejects records the message (errCase).
type printfCase struct {
	name string
	fmt  string
	args []arg
}

var printfCases = []printfCase{
	{"brief", `%-8s|%5d|%x|%lld\n`, []arg{S("ab"), I(-3), I(255), I(-1)}},
	{"d_low32", `%d\n`, []arg{I(4294967297)}},
	{"d_wrap", `%d|%d\n`, []arg{I(2147483648), I(-2147483649)}},
	{"u_minus1", `%u\n`, []arg{I(-1)}},
	{"ld_lu", `%ld %lu\n`, []arg{I(-1), I(-1)}},
	{"lld_big", `%lld\n`, []arg{I(0x123456789)}},
	{"h", `%hd|%hu\n`, []arg{I(70000), I(-1)}},
	{"hh", `%hhd|%hhu\n`, []arg{I(300), I(-1)}},
	{"x_X_o", `%x|%X|%o\n`, []arg{I(255), I(255), I(8)}},
	{"l_hex_oct", `%lx|%llX|%lo\n`, []arg{I(-1), I(-1), I(-1)}},
	{"zero_pad_x", `%08x|%-8x|%8x|\n`, []arg{I(255), I(255), I(255)}},
	{"precision_d", `%5.2d|%.3d|%-5.3d|\n`, []arg{I(7), I(-7), I(7)}},
	{"precision_zero", `%.0d|%5.0d|%.0x|\n`, []arg{I(0), I(0), I(0)}},
	{"zero_flag_neg", `%010d|%-010d|\n`, []arg{I(-42), I(-42)}},
	{"s_width", `%s|%10s|%-10s|\n`, []arg{S("a"), S("b"), S("c")}},
	{"s_precision", `%.3s|%5.1s|%.0s|\n`, []arg{S("abcdef"), S("xyz"), S("q")}},
	{"s_zero_flag", `%05s|\n`, []arg{S("ab")}},
	{"c", `%c%c%c\n`, []arg{I(72), I(105), I(33)}},
	{"c_width", `%3c|%-3c|%c\n`, []arg{I(65), I(66), I(321)}},
	{"p", `%p|%p\n`, []arg{I(255), I(0)}},
	{"p_width", `%10p|%-10p|%10p|\n`, []arg{I(4096), I(4096), I(0)}},
	{"p_length", `%lp %llp %hp\n`, []arg{I(4096), I(4096), I(4096)}},
	{"p_zero_prec", `%010p|%.6p|\n`, []arg{I(255), I(255)}},
	{"zjt", `%zd|%jd|%td|%zu|%jx|%tX\n`, []arg{I(-1), I(-1), I(-1), I(-1), I(-1), I(-1)}},
	{"r", `%r|%rx|%rh\n`, []arg{E(`buf("a\x01b", 3)`, Buf([]byte("a\x01b"))), B("ab"), B("ab")}},
	{"r_width", `[%8r]\n`, []arg{B("ab")}},
	{"percent_before", `100%%|%d|%%\n`, []arg{I(5)}},
	{"percent_tail", `%d%%\n`, []arg{I(7)}},
	{"percent_noargs", `a%%b\n`, nil},
	{"percent_space", `%% %d\n`, []arg{I(1)}},
	{"percent_eats_spec", `%%d %d\n`, []arg{I(5), I(6)}},
	{"no_newline", `%d`, []arg{I(0)}},
	{"plus_raw", `%+d % d %#x\n`, nil},
	{"int_limits", `%-12d|%12d|\n`, []arg{I(2147483647), I(-2147483648)}},
	{"llu_min", `%llu %lld\n`, []arg{E("1<<63", Int(math.MinInt64)), E("1<<63", Int(math.MinInt64))}},
	{"mixed", `%d %s %d\n`, []arg{I(1), S("two"), I(3)}},
	{"comm_cols", `[%-16s] [%16s]\n`, []arg{S("comm"), S("comm")}},
	{"empty_string", `<%s>\n`, []arg{S("")}},
	{"x_prec_zero_flag", `%.5x|%08.3x|\n`, []arg{I(255), I(255)}},
	{"o_zero", `%o|%.4o\n`, []arg{I(0), I(8)}},
	{"cast_u8", `%x %d\n`, []arg{E("(uint8)300", IntN(44, 1, false)), E("(uint8)300", IntN(44, 1, false))}},
	{"cast_i8", `%d %u %x\n`, []arg{E("(int8)-1", IntN(-1, 1, true)), E("(int8)-1", IntN(-1, 1, true)), E("(int8)-1", IntN(-1, 1, true))}},
	{"cast_u32", `%d %lu\n`, []arg{E("(uint32)-1", IntN(-1, 4, false)), E("(uint32)-1", IntN(-1, 4, false))}},
	{"tab_in_string", `%s|%d\n`, []arg{S("x\ty"), I(1)}},
	{"narrow_width", `%3s|%2d|\n`, []arg{S("abcdef"), I(12345)}},
	{"left_small", `%-3d|%-3d|\n`, []arg{I(12345), I(1)}},
	{"X_dead", `%X %x\n`, []arg{I(0xdeadbeef), I(0xdeadbeef)}},
	{"ld_mul", `%ld\n`, []arg{I(4294967296 * 3)}},
	{"names", `time_:%lld units:%d\n`, []arg{I(123456789012), I(42)}},
	{"width_prec_s", `%-6.2s|\n`, []arg{S("hello")}},
	{"many", `%d,%d,%d,%d,%d,%d,%d,%d\n`, []arg{I(1), I(2), I(3), I(4), I(5), I(6), I(7), I(8)}},
	{"err_not_enough", `%d %d\n`, []arg{I(1)}},
	{"err_too_many", `%d\n`, []arg{I(1), I(2)}},
	{"err_d_string", `%d\n`, []arg{S("s")}},
	{"err_s_int", `%s\n`, []arg{I(1)}},
	{"err_lld_string", `%-5lld\n`, []arg{S("x")}},
	{"err_r_string", `%r\n`, []arg{S("x")}},
	{"err_plus_flag", `%+d\n`, []arg{I(1)}},
}

// script is the bpftrace program of a printf case.
func (c *printfCase) script() string {
	var b strings.Builder
	b.WriteString(`BEGIN { printf("` + c.fmt + `"`)
	for _, a := range c.args {
		b.WriteString(", " + a.bt)
	}
	b.WriteString("); exit(); }")
	return b.String()
}

// goFormat is the format string as the parser would hand it over (bpftrace
// string-literal escapes resolved).
func (c *printfCase) goFormat() string {
	return strings.NewReplacer(`\n`, "\n", `\t`, "\t", `\"`, `"`, `\\`, `\`).Replace(c.fmt)
}

func (c *printfCase) values() ([]Value, []Kind) {
	var vs []Value
	var ks []Kind
	for _, a := range c.args {
		vs = append(vs, a.v)
		ks = append(ks, a.v.Kind)
	}
	return vs, ks
}
