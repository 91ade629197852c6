package runtime_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/gobpftrace/gobpftrace"
	"github.com/gobpftrace/gobpftrace/runtime"
)

// Run a script and print its output as bpftrace would. Running needs root
// (the examples below are compiled, not run, by go test; the kernel tests
// run the same code).
func ExampleSession_Run() {
	prog, err := gobpftrace.Compile("stdin", `BEGIN { printf("hello\n"); @n = count(); exit(); }`, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	sess, err := runtime.Load(prog, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sess.Close()
	if err := sess.Run(context.Background(), os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Prints:
	// Attaching 1 probe...
	// hello
	//
	//
	// @n: 1
}

// Decode a process's events into Go structs: every `name:%fmt` column of the
// printf format fills the field tagged with that name.
func ExampleEvent_Decode() {
	const pid = 1234 // the process to trace
	prog, err := gobpftrace.Compile("incident.bt", `uprobe:"main.IsValid" {
		printf("time_:%lld units:%d nanos:%d\n", nsecs, reg("ax"), (int32)reg("bx"));
	}`, &gobpftrace.CompileOptions{PID: pid})
	if err != nil {
		fmt.Println(err)
		return
	}
	sess, err := runtime.Load(prog, &runtime.Options{PID: pid, TTL: 10 * time.Second})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sess.Close()
	var row struct {
		Time  time.Time `bpftrace:"time_"`
		Units int64     `bpftrace:"units"`
		Nanos int32     `bpftrace:"nanos"`
	}
	for ev, err := range sess.Events(context.Background()) {
		if err != nil {
			fmt.Println(err)
			return
		}
		if err := ev.Decode(&row); err == nil {
			fmt.Println(row.Time.Format(time.TimeOnly), row.Units, row.Nanos)
		}
	}
}

// Trace a Go function by its arguments' names, without registers: the
// binary's DWARF gives each parameter's type, the Go register ABI its place.
// The return probe is a uprobe on every RET (kernel uretprobes crash Go)
// where rets reads the results (rets.0, the bool IsValid returns), and
// goid pairs each return with its call.
func Example_goArguments() {
	const bin = "./shop"
	src := `uprobe:` + bin + `:"example.com/shop/money.IsValid" {
		@units[goid] = args.m.Units;
		@nanos[goid] = args.m.Nanos;
	}
	uretprobe:` + bin + `:"example.com/shop/money.IsValid" /rets.0 == 0/ {
		printf("units:%d nanos:%d\n", @units[goid], @nanos[goid]);
	}`
	prog, err := gobpftrace.Compile("invalid.bt", src, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	sess, err := runtime.Load(prog, &runtime.Options{TTL: time.Minute})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sess.Close()
	var bad struct{ Units, Nanos int64 }
	for ev, err := range sess.Events(context.Background()) {
		if err == nil && ev.Decode(&bad) == nil {
			fmt.Printf("invalid: %+v\n", bad)
		}
	}
}
