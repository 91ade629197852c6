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
