package gobpftrace_test

import (
	"fmt"
	"os"

	"github.com/gobpftrace/gobpftrace"
	"github.com/gobpftrace/gobpftrace/ast"
)

// Parse a script and report a mistake the way bpftrace does.
func ExampleParse() {
	src := `BEGIN { printf("%d\n", 1 +); }`
	_, err := gobpftrace.Parse("bad.bt", src)
	ast.PrintError(os.Stdout, src, err)
	// Output:
	// bad.bt:1:26-28: ERROR: syntax error, unexpected )
	// BEGIN { printf("%d\n", 1 +); }
	//                          ~~
}

// Format a one-liner as canonical source.
func ExampleFormat() {
	out, err := gobpftrace.Format("stdin", `uprobe:./frontend:"main.IsValid"{$units=reg("ax");printf("units:%d\n",$units)}`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(out)
	// Output:
	// uprobe:./frontend:"main.IsValid"
	// {
	//   $units = reg("ax");
	//   printf("units:%d\n", $units);
	// }
}

// Compile a script into programs, maps and an event table, without
// touching the kernel.
func ExampleCompile() {
	prog, err := gobpftrace.Compile("hello.bt", `BEGIN { printf("hello %d\n", 42); exit(); }`, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range prog.Probes {
		fmt.Printf("program %s: %s, %s\n", p.Name, p.Type, p.Targets[0].Name)
	}
	for i, ev := range prog.Events {
		fmt.Printf("event %d: %q with %d argument(s)\n", i, ev.Format, len(ev.Args))
	}
	// Output:
	// program p0_begin: RawTracepoint, BEGIN
	// event 0: "hello %d\n" with 1 argument(s)
	// event 1: "" with 0 argument(s)
}
