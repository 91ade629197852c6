// Command gobpftrace is a bpftrace-compatible command line front end to the
// gobpftrace library. It is thin: it reads the script, calls the library and
// maps errors to bpftrace's exit statuses.
//
//	gobpftrace FILE | -e 'PROG' | -   run a script (-p PID, -c CMD, -q, -o FILE, -f json)
//	gobpftrace --fmt FILE             print FILE formatted as canonical source
//	gobpftrace -d ast|types|codegen   print a compiler stage; no kernel access
//	gobpftrace --dry-run FILE         load and attach, then exit
//	gobpftrace --verify FILE          load every program through the verifier only
//	gobpftrace -l|-lv 'uprobe:BIN:PATTERN'  list probes (-lv: with Go arguments and results)
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
    -B MODE        output buffering mode ('full', 'none', 'line')
    -f FORMAT      output format ('text', 'json')
    -o file        redirect bpftrace output to file
    -e 'program'   execute this program
    -h, --help     show this help message
    -p PID         trace only this process (uprobes without a binary use /proc/PID/exe)
    -c 'CMD'       run CMD and trace it; exit when it exits
    -q             keep messages quiet
    -V, --version  bpftrace version
    --fmt          print the program formatted as canonical source, then exit
    --dry-run      load and attach every probe, then exit
    --verify       load every program through the kernel verifier, attach nothing
    -d STAGE       print a compiler stage and exit, without the kernel (ast, types, codegen)
    -l [PATTERN]   list the uprobes matching PATTERN (uprobe:BIN:FUNC, wildcards allowed)
    -lv [PATTERN]  the same, with each Go function's arguments and results (-l -v too)
`

// options are the parsed command line.
type options struct {
	prog, debug, cmd, out, buffering, format string
	fmtMode, quiet, dryRun, verify           bool
	list, listVerbose, verbose               bool
	pid                                      int
	params                                   []string
}

// run is main without the process: it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gobpftrace", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var o options
	fs.StringVar(&o.prog, "e", "", "")
	fs.BoolVar(&o.fmtMode, "fmt", false, "")
	fs.StringVar(&o.debug, "d", "", "")
	fs.IntVar(&o.pid, "p", 0, "")
	fs.StringVar(&o.cmd, "c", "", "")
	fs.BoolVar(&o.quiet, "q", false, "")
	fs.StringVar(&o.out, "o", "", "")
	fs.StringVar(&o.buffering, "B", "", "")
	fs.StringVar(&o.format, "f", "text", "")
	fs.BoolVar(&o.dryRun, "dry-run", false, "")
	fs.BoolVar(&o.verify, "verify", false, "")
	fs.BoolVar(&o.list, "l", false, "")
	fs.BoolVar(&o.listVerbose, "lv", false, "")
	fs.BoolVar(&o.verbose, "v", false, "")
	help, help2 := fs.Bool("h", false, ""), fs.Bool("help", false, "")
	ver, ver2 := fs.Bool("V", false, ""), fs.Bool("version", false, "")
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
	if o.format != "text" && o.format != "json" {
		fmt.Fprintf(stderr, "ERROR: Invalid output format \"%s\"\nValid formats: 'text', 'json'\n", o.format)
		return 1
	}

	if o.list || o.listVerbose {
		return listProbes(fs.Args(), o.pid, o.listVerbose || o.verbose, stdout, stderr)
	}

	filename, src, status, err := readScript(fs, o.prog, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "ERROR: %v\n", err)
		return status
	}
	o.params = fs.Args()
	if o.prog == "" && len(o.params) > 0 {
		o.params = o.params[1:] // the script file itself
	}

	if o.fmtMode || o.debug == "ast" {
		p, err := gobpftrace.Parse(filename, src)
		if err != nil {
			ast.PrintError(stderr, src, err)
			return 1
		}
		if o.fmtMode {
			fmt.Fprint(stdout, ast.Format(p))
		} else {
			fmt.Fprint(stdout, ast.Dump(p))
		}
		return 0
	}
	switch o.debug {
	case "", "types", "codegen":
	default:
		fmt.Fprintf(stderr, "ERROR: invalid debug stage %q (supported: ast, types, codegen)\n", o.debug)
		return 1
	}
	return execute(&o, filename, src, stdout, stderr)
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
