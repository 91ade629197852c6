package parser

import (
	"strings"

	"github.com/gobpftrace/gobpftrace/ast"
	"github.com/gobpftrace/gobpftrace/lexer"
)

// providers maps every provider name and alias to its canonical name.
var providers = map[string]string{
	"BEGIN": "begin", "begin": "begin", "END": "end", "end": "end",
	"self": "self", "test": "test", "bench": "bench",
	"kprobe": "kprobe", "k": "kprobe", "kretprobe": "kretprobe", "kr": "kretprobe",
	"uprobe": "uprobe", "u": "uprobe", "uretprobe": "uretprobe", "ur": "uretprobe",
	"usdt": "usdt", "U": "usdt", "tracepoint": "tracepoint", "t": "tracepoint",
	"rawtracepoint": "rawtracepoint", "rt": "rawtracepoint",
	"profile": "profile", "p": "profile", "interval": "interval", "i": "interval",
	"software": "software", "s": "software", "hardware": "hardware", "h": "hardware",
	"watchpoint": "watchpoint", "w": "watchpoint",
	"asyncwatchpoint": "asyncwatchpoint", "aw": "asyncwatchpoint",
	"fentry": "fentry", "f": "fentry", "kfunc": "fentry",
	"fexit": "fexit", "fr": "fexit", "kretfunc": "fexit",
	"iter": "iter", "it": "iter",
}

// attachPoint splits a raw attach point token. The first attach point of a
// probe may carry the probe's `name=` prefix.
func (p *parser) attachPoint(t *lexer.Token, first bool, pr *ast.Probe) *ast.AttachPoint {
	raw := t.Text
	sp := t.Span
	if first {
		if i := strings.IndexByte(raw, '='); i > 0 && isIdent(raw[:i]) {
			pr.Name = raw[:i]
			raw = raw[i+1:]
			sp.Start.Offset += i + 1
			sp.Start.Col += i + 1
		}
	}
	ap := &ast.AttachPoint{Span: sp, Raw: raw}
	fields, quoted := splitColons(raw)
	ap.ProviderText = fields[0]
	ap.Parts, ap.Quoted = fields[1:], quoted[1:]
	ap.Provider = providers[ap.ProviderText]
	return ap
}

// checkProvider reports an unknown provider, underlining it.
func (p *parser) checkProvider(ap *ast.AttachPoint) {
	sp := ap.Span
	if _, ok := providers[ap.ProviderText]; !ok {
		psp := sp
		psp.Lead = sp.Start
		psp.End = sp.Start
		psp.End.Offset += len(ap.ProviderText)
		psp.End.Col += len(ap.ProviderText)
		if ap.ProviderText == "" {
			psp.End = sp.End
		}
		p.errorAt(psp, "Invalid provider: '"+ap.ProviderText+"'")
	}
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9')) {
			return false
		}
	}
	return true
}

// splitColons splits raw on `:` outside double quotes. A field written
// entirely in quotes is unquoted and marked quoted.
func splitColons(raw string) ([]string, []bool) {
	var fields []string
	var quoted []bool
	start := 0
	inQ := false
	flush := func(end int) {
		f := raw[start:end]
		q := len(f) >= 2 && f[0] == '"' && f[len(f)-1] == '"'
		if q {
			f = unquote(f[1 : len(f)-1])
		}
		fields = append(fields, f)
		quoted = append(quoted, q)
	}
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; {
		case c == '\\' && inQ:
			i++
		case c == '"':
			inQ = !inQ
		case c == ':' && !inQ:
			flush(i)
			start = i + 1
		}
	}
	flush(len(raw))
	return fields, quoted
}

func unquote(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
