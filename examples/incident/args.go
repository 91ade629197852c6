package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gobpftrace/gobpftrace/runtime"
)

// argsScript is the second incident script: it needs no registers. args
// reads the Money parameter by name from DWARF, goid ties each return to
// its call, and the return probe reports the calls that returned false
// (a bool result is retval's low byte).
const argsScript = `uprobe:%[1]s:"%[2]s"
{
    @seen[goid] = 1;
    @units[goid] = args.m.Units;
    @nanos[goid] = args.m.Nanos;
    printf("units:%%lld nanos:%%d currency:%%s\n", args.m.Units, args.m.Nanos, str(args.m.CurrencyCode));
}
uretprobe:%[1]s:"%[2]s"
/@seen[goid]/
{
    if ((retval & 0xff) == 0) {
        printf("invalid:%%d units:%%lld nanos:%%d\n", 1, @units[goid], @nanos[goid]);
    }
    delete(@seen[goid]);
    delete(@units[goid]);
    delete(@nanos[goid]);
}
`

// ArgsRow is one record of the args script: a call (with its currency) or
// a call that returned false (Invalid).
type ArgsRow struct {
	Units    int64
	Nanos    int32
	Currency string
	Invalid  bool
}

// traceArgs runs the args script like trace runs the register script.
func traceArgs(ctx context.Context, bin string, shop *shopProcess, ttl time.Duration) ([]ArgsRow, error) {
	var rows []ArgsRow
	err := runScript(ctx, "incident-args.bt", fmt.Sprintf(argsScript, bin, moneyIsValid), shop, ttl, func(ev *runtime.Event) error {
		if ev.Format == nil {
			return nil
		}
		var r ArgsRow
		if err := ev.Decode(&r); err != nil {
			return err
		}
		rows = append(rows, r)
		return nil
	})
	return rows, err
}

// printArgs prints what the args script found.
func printArgs(w io.Writer, rows []ArgsRow) {
	calls, bad := 0, 0
	for _, r := range rows {
		if r.Invalid {
			bad++
			fmt.Fprintf(w, "money.IsValid returned false for Money{Units: %d, Nanos: %d}\n", r.Units, r.Nanos)
		} else {
			calls++
		}
	}
	seen := map[string]bool{}
	var currencies []string
	for _, r := range rows {
		if !r.Invalid && !seen[r.Currency] {
			seen[r.Currency] = true
			currencies = append(currencies, r.Currency)
		}
	}
	fmt.Fprintf(w, "args script: %d calls of money.IsValid (currencies %s), %d returned false.\n",
		calls, strings.Join(currencies, ", "), bad)
}
