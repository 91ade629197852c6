package lexer

import (
	"io"

	plex "github.com/alecthomas/participle/v2/lexer"
)

// Definition is the bpftrace lexer as a participle lexer.Definition. Token
// types are -(Kind+2), so EOF maps onto participle's lexer.EOF.
var Definition plex.Definition = definition{}

type definition struct{}

// TokenType returns the participle token type of a kind.
func TokenType(k Kind) plex.TokenType { return plex.TokenType(-(int(k) + 1)) }

func (definition) Symbols() map[string]plex.TokenType {
	m := make(map[string]plex.TokenType, len(kindNames))
	for k, name := range kindNames {
		m[name] = TokenType(Kind(k))
	}
	return m
}

func (d definition) Lex(filename string, r io.Reader) (plex.Lexer, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return d.LexString(filename, string(b))
}

// LexString implements participle's lexer.StringDefinition.
func (definition) LexString(filename, src string) (plex.Lexer, error) {
	return &plexer{file: filename, res: Scan(filename, src)}, nil
}

type plexer struct {
	file string
	res  *Result
	i    int
	errI int
}

// Next returns the next token, or the first lexical error that precedes it.
func (l *plexer) Next() (plex.Token, error) {
	if l.errI < len(l.res.Errors) && l.res.Errors[l.errI].Before <= l.i {
		e := l.res.Errors[l.errI].Err
		l.errI++
		return plex.Token{}, e
	}
	if l.i >= len(l.res.Tokens) {
		l.i = len(l.res.Tokens) - 1
	}
	t := &l.res.Tokens[l.i]
	if t.Kind != EOF {
		l.i++
	}
	return plex.Token{
		Type:  TokenType(t.Kind),
		Value: t.Text,
		Pos:   plex.Position{Filename: l.file, Offset: t.Span.Start.Offset, Line: t.Span.Start.Line, Column: t.Span.Start.Col},
	}, nil
}
