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
