package testenv

import (
	"fmt"
	"strings"
)

// BigGoSource is a Go program that links much of the standard library plus
// nfuncs generated functions: with 30000 its binary exceeds 20 MB, the
// size benchmarks of compiling against a large Go binary use. It has
// Money, a struct like the incident's, and calls net/http.(*Client).do.
func BigGoSource(nfuncs int) string {
	var sb strings.Builder
	sb.WriteString(`package main

import (
	"archive/tar"
	"archive/zip"
	"compress/bzip2"
	"compress/gzip"
	"compress/lzw"
	"compress/zlib"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"debug/dwarf"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/json"
	"encoding/xml"
	"expvar"
	"fmt"
	"go/build"
	"go/doc"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"html/template"
	"image/gif"
	"image/jpeg"
	"image/png"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/mail"
	"net/rpc/jsonrpc"
	"net/smtp"
	"os"
	"os/exec"
	"regexp"
	"runtime/pprof"
	"testing"
	ttemplate "text/template"
)

type Money struct {
	Units        int64
	Nanos        int32
	CurrencyCode string
}

var sink []any

func main() {
	sink = append(sink, tar.NewReader, zip.NewReader, bzip2.NewReader, gzip.NewReader, lzw.NewReader, zlib.NewReader,
		tls.Dial, x509.ParseCertificate, sql.Open, dwarf.New, elf.Open, macho.Open, pe.Open, json.Marshal, xml.Marshal,
		expvar.NewInt, build.Import, doc.New, format.Source, parser.ParseFile, token.NewFileSet, types.NewPackage,
		(&types.Config{}).Check, template.New, gif.Decode, jpeg.Decode, png.Decode, slog.New, http.Get, (&http.Client{}).Do,
		httptest.NewServer, httputil.DumpRequest, mail.ReadMessage, jsonrpc.Dial, smtp.Dial, exec.Command, regexp.MustCompile,
		pprof.StartCPUProfile, testing.Main, ttemplate.New, fmt.Println)
	sink = append(sink, gen...)
	if len(os.Args) > 5 {
		fmt.Println(sink...)
	}
}

var gen = []any{
`)
	for i := 0; i < nfuncs; i++ {
		fmt.Fprintf(&sb, "\tfunc(m Money, s string, x int) int { return int(m.Units) + len(s) + x*%d + len(m.CurrencyCode) },\n", i)
	}
	sb.WriteString("}\n")
	return sb.String()
}
