// Command gobpftrace is a bpftrace-compatible command line front end to the
// gobpftrace library. It is thin: it reads the script, calls the library and
// maps errors to bpftrace's exit statuses.
//
//	gobpftrace --fmt FILE          print FILE formatted as canonical source
//	gobpftrace --fmt -e 'PROG'     the same for a program given inline ("-" reads stdin)
//	gobpftrace -d ast FILE         print the syntax tree
//
// Neither mode touches the kernel.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gobpftrace/gobpftrace"
	"github.com/gobpftrace/gobpftrace/ast"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `USAGE:
    gobpftrace [options] filename
    gobpftrace [options] - <stdin input>
    gobpftrace [options] -e 'program'

OPTIONS:
    -e 'program'   execute this program
    --fmt          print the program formatted as canonical source, then exit
    -d STAGE       debug info dry run (STAGE: ast)
    -h, --help     show this help message
    -V, --version  bpftrace version
`

// run is main without the process: it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gobpftrace", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var (
		prog    = fs.String("e", "", "program")
		fmtMode = fs.Bool("fmt", false, "format")
		debug   = fs.String("d", "", "debug stage")
		help    = fs.Bool("h", false, "help")
		help2   = fs.Bool("help", false, "help")
		ver     = fs.Bool("V", false, "version")
		ver2    = fs.Bool("version", false, "version")
	)
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(stderr, "ERROR: %v\n%s", err, usage)
		return 1
	}
	switch {
	case *help || *help2:
		fmt.Fprint(stdout, usage)
		return 0
	case *ver || *ver2:
		fmt.Fprintf(stdout, "gobpftrace %s\n", gobpftrace.Version)
		return 0
	}

	filename, src, status, err := readScript(fs, *prog, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "ERROR: %v\n", err)
		return status
	}
	p, err := gobpftrace.Parse(filename, src)
	if err != nil {
		ast.PrintError(stderr, src, err)
		return 1
	}
	switch {
	case *fmtMode:
		fmt.Fprint(stdout, ast.Format(p))
		return 0
	case *debug == "ast":
		fmt.Fprint(stdout, ast.Dump(p))
		return 0
	case *debug != "":
		fmt.Fprintf(stderr, "ERROR: invalid debug stage %q (supported: ast)\n", *debug)
		return 1
	}
	fmt.Fprintln(stderr, "ERROR: running programs is not implemented yet; use --fmt or -d ast")
	return 1
}

// readScript returns the script's name (as bpftrace names it in errors) and
// text: -e PROG is "stdin", "-" reads standard input, otherwise the first
// positional argument is a file. On failure it also returns bpftrace's exit
// status for that failure.
func readScript(fs *flag.FlagSet, prog string, stdin io.Reader) (name, src string, status int, err error) {
	if prog != "" {
		return "stdin", prog, 0, nil
	}
	if fs.NArg() == 0 {
		return "", "", 1, errors.New("USAGE: filename or -e 'program' required.")
	}
	name = fs.Arg(0)
	if name == "-" {
		b, err := io.ReadAll(stdin)
		if err != nil {
			return "", "", 1, fmt.Errorf("failed to read stdin: %v", err)
		}
		return "stdin", string(b), 0, nil
	}
	b, err := os.ReadFile(name)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		// bpftrace exits with status 255 when it cannot open the script.
		return "", "", 255, fmt.Errorf("failed to open file '%s': %s", name, capitalize(err.Error()))
	}
	return name, string(b), 0, nil
}

// capitalize upper-cases the first letter of an OS error ("no such file or
// directory" → "No such file or directory", as strerror spells it).
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
