package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gobpftrace/gobpftrace"
	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/output"
	"github.com/gobpftrace/gobpftrace/runtime"
)

// script is the incident script. In Go's register ABI on amd64 a Money
// passed by value arrives field by field: Units in RAX, Nanos in RBX.
const script = `uprobe:%s:"%s"
{
    $units = reg("ax");
    $nanos = (int32)reg("bx");
    printf("time_:%%lld, units:%%d, nanos:%%d, stack:%%s\n", nsecs, $units, (int64)$nanos, ustack());
}
`

// Row is one record of the script, decoded by column name.
type Row struct {
	Time  time.Time `bpftrace:"time_"`
	Units int64     `bpftrace:"units"`
	Nanos int32     `bpftrace:"nanos"`
	Stack []output.Frame
}

// Valid applies money.IsValid's rules to the traced value.
func (r Row) Valid() bool {
	if r.Nanos <= -1e9 || r.Nanos >= 1e9 {
		return false
	}
	return !(r.Units > 0 && r.Nanos < 0 || r.Units < 0 && r.Nanos > 0)
}

// trace runs the register script and decodes every record into a Row.
func trace(ctx context.Context, bin string, shop *shopProcess, ttl time.Duration) ([]Row, error) {
	var rows []Row
	err := runScript(ctx, "incident.bt", fmt.Sprintf(script, bin, moneyIsValid), shop, ttl, func(ev *runtime.Event) error {
		var r Row
		if err := ev.Decode(&r); err != nil {
			return err
		}
		rows = append(rows, r)
		return nil
	})
	return rows, err
}

// runScript compiles src, attaches it to the shop through the library,
// drives traffic once the probes are attached and hands every event to
// each until the TTL ends.
func runScript(ctx context.Context, name, src string, shop *shopProcess, ttl time.Duration, each func(*runtime.Event) error) error {
	prog, err := gobpftrace.Compile(name, src, &gobpftrace.CompileOptions{PID: shop.pid()})
	if err != nil {
		var b strings.Builder
		ast.PrintError(&b, src, err)
		return fmt.Errorf("compiling %s:\n%s", name, b.String())
	}
	driven := make(chan struct{})
	sess, err := runtime.Load(prog, &runtime.Options{
		PID: shop.pid(),
		TTL: ttl,
		OnAttached: func() {
			go func() { shop.drive(ctx); close(driven) }()
		},
	})
	if err != nil {
		return err
	}
	defer sess.Close()
	for ev, err := range sess.Events(ctx) {
		if err == nil {
			err = each(ev)
		}
		if err != nil {
			return err
		}
	}
	<-driven
	return nil
}

// printTable prints the decoded records and points out the invalid values.
func printTable(w io.Writer, rows []Row) {
	fmt.Fprintf(w, "\n%-15s %6s %12s  %-7s %s\n", "TIME", "UNITS", "NANOS", "VALID", "CALLER")
	bad := 0
	for _, r := range rows {
		valid := "ok"
		if !r.Valid() {
			valid = "INVALID"
			bad++
		}
		caller := ""
		if len(r.Stack) > 2 {
			caller = shortName(r.Stack[1].Symbol) + " < " + shortName(r.Stack[2].Symbol)
		}
		fmt.Fprintf(w, "%-15s %6d %12d  %-7s %s\n", r.Time.Format("15:04:05.000000"), r.Units, r.Nanos, valid, caller)
	}
	fmt.Fprintf(w, "\n%d calls of money.IsValid traced, %d with an invalid value.\n", len(rows), bad)
	for _, r := range rows {
		if !r.Valid() {
			fmt.Fprintf(w, "The culprit: Money{Units: %d, Nanos: %d}: units and nanos have opposite signs.\n", r.Units, r.Nanos)
			fmt.Fprintf(w, "Stack of the first bad call:\n%s", output.AppendValue(nil, &output.Value{Kind: output.Ustack, Frames: r.Stack}))
			break
		}
	}
}

// shortName drops the import path of a Go symbol: money.Sum, main.cart.
func shortName(sym string) string {
	if i := strings.LastIndexByte(sym, '/'); i >= 0 {
		return sym[i+1:]
	}
	return sym
}
