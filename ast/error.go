package ast

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Severity tells an error from a warning.
type Severity int

const (
	SevError Severity = iota
	SevWarning
)

func (s Severity) String() string {
	if s == SevWarning {
		return "WARNING"
	}
	return "ERROR"
}

// Error is a diagnostic with a source span. Its Error method gives the
// first line of bpftrace's format; PrintError writes the whole thing.
type Error struct {
	Filename string
	Span     Span
	Msg      string
	Hints    []string // extra lines printed after the source excerpt (bpftrace's HINT:)
	Severity Severity
}

func (e *Error) Error() string {
	return e.header()
}

// header is `file:line:col-col: ERROR: msg`, or `file:l1-l2: ERROR: msg`
// when the span covers several lines, or `file: ERROR: msg` without a span.
func (e *Error) header() string {
	var b strings.Builder
	b.WriteString(e.Filename)
	s := e.Span
	switch {
	case !s.Lead.IsValid():
	case s.End.IsValid() && s.End.Line > s.Lead.Line:
		fmt.Fprintf(&b, ":%d-%d", s.Lead.Line, s.End.Line)
	default:
		end := s.End.Col
		if !s.End.IsValid() {
			end = s.Lead.Col
		}
		fmt.Fprintf(&b, ":%d:%d-%d", s.Lead.Line, s.Lead.Col, end)
	}
	fmt.Fprintf(&b, ": %s: %s", e.Severity, e.Msg)
	return b.String()
}

// ErrorList collects diagnostics. Its zero value is ready to use.
type ErrorList []*Error

// MaxErrors is how many errors an ErrorList keeps after Sort.
const MaxErrors = 10

// Add appends an error.
func (l *ErrorList) Add(filename string, span Span, format string, args ...any) {
	*l = append(*l, &Error{Filename: filename, Span: span, Msg: fmt.Sprintf(format, args...)})
}

// Warn appends a warning.
func (l *ErrorList) Warn(filename string, span Span, format string, args ...any) {
	*l = append(*l, &Error{Filename: filename, Span: span, Msg: fmt.Sprintf(format, args...), Severity: SevWarning})
}

func (l ErrorList) Len() int      { return len(l) }
func (l ErrorList) Swap(i, j int) { l[i], l[j] = l[j], l[i] }
func (l ErrorList) Less(i, j int) bool {
	a, b := l[i].Span.Lead, l[j].Span.Lead
	if l[i].Filename != l[j].Filename {
		return l[i].Filename < l[j].Filename
	}
	return a.Offset < b.Offset
}

// Sort orders the list by position and caps it at MaxErrors. Entries at the
// same position keep the order they were added in, as bpftrace reports them
// (a lexical error before the syntax error it causes).
func (l *ErrorList) Sort() {
	sort.Stable(*l)
	if len(*l) > MaxErrors {
		*l = (*l)[:MaxErrors]
	}
}

// Errors returns only the entries of severity SevError.
func (l ErrorList) Errors() ErrorList {
	var out ErrorList
	for _, e := range l {
		if e.Severity == SevError {
			out = append(out, e)
		}
	}
	return out
}

// Err returns nil when the list holds no error (warnings do not count), and
// the list itself otherwise.
func (l ErrorList) Err() error {
	if len(l.Errors()) == 0 {
		return nil
	}
	return l
}

func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0].Error(), len(l)-1)
}

// PrintError writes err in bpftrace's format. src is the script's text, used
// for the source excerpt. An ErrorList prints every entry; an *Error prints
// one; any other error prints as `ERROR: msg`.
//
//	bad.bt:1:26-28: ERROR: syntax error, unexpected )
//	BEGIN { printf("%d\n", 1 +); }
//	                         ~~
func PrintError(w io.Writer, src string, err error) {
	switch e := err.(type) {
	case nil:
	case ErrorList:
		for _, x := range e {
			printOne(w, src, x)
		}
	case *Error:
		printOne(w, src, e)
	default:
		fmt.Fprintf(w, "ERROR: %s\n", err)
	}
}

func printOne(w io.Writer, src string, e *Error) {
	fmt.Fprintln(w, e.header())
	s := e.Span
	if s.Lead.IsValid() && !(s.End.IsValid() && s.End.Line > s.Lead.Line) {
		// bpftrace prints tabs as four spaces, and marks every column from
		// the span's start up to its end, clipped to the line.
		line := sourceLine(src, s.Lead.Line)
		if line != "" {
			fmt.Fprintln(w, strings.ReplaceAll(line, "\t", "    "))
			end := s.End.Col
			if !s.End.IsValid() {
				end = s.Lead.Col
			}
			var u strings.Builder
			for x := 0; x < len(line) && x < end-1; x++ {
				m := " "
				if x >= s.Lead.Col-1 {
					m = "~"
				}
				if line[x] == '\t' {
					m = strings.Repeat(m, 4)
				}
				u.WriteString(m)
			}
			fmt.Fprintln(w, u.String())
		}
	}
	for _, h := range e.Hints {
		fmt.Fprintf(w, "HINT: %s\n", h)
	}
}

// sourceLine returns line n (1-based) of src without its newline.
func sourceLine(src string, n int) string {
	for i := 1; i < n; i++ {
		j := strings.IndexByte(src, '\n')
		if j < 0 {
			return ""
		}
		src = src[j+1:]
	}
	if j := strings.IndexByte(src, '\n'); j >= 0 {
		src = src[:j]
	}
	return src
}
