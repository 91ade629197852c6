package goabi

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// bigSource is a program that links much of the standard library plus
// generated functions, to exceed 20 MB.
func bigSource(nfuncs int) string {
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

// BenchmarkOpenFunc opens a large Go binary and resolves a method (Client.Do is inlined; do is not) with
// struct argument, fresh each iteration (no cache carried over).
func BenchmarkOpenFunc(b *testing.B) {
	path, _ := buildProg(b, "big", bigSource(30000))
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	if fi.Size() < 20<<20 {
		b.Fatalf("test binary is %d bytes, want >= 20 MB", fi.Size())
	}
	b.ReportMetric(float64(fi.Size())/(1<<20), "MB")
	b.Run("cold", func(b *testing.B) {
		b.Setenv(CacheEnv, "off")
		benchOpenFunc(b, path, "net/http.(*Client).do")
	})
	b.Run("cached", func(b *testing.B) {
		b.Setenv(CacheEnv, b.TempDir())
		if bin, err := Open(path); err == nil { // fill the cache
			bin.Func("net/http.(*Client).do")
			bin.Close()
		}
		benchOpenFunc(b, path, "net/http.(*Client).do")
	})
}

// BenchmarkOpenFuncSmall is the same on the small test program, to show
// how the cost grows with the binary.
func BenchmarkOpenFuncSmall(b *testing.B) {
	path, _ := sigs(b)
	benchOpenFunc(b, path, "main.money")
}

func benchOpenFunc(b *testing.B, path, fn string) {
	b.ReportAllocs()
	for b.Loop() {
		bin, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		f, err := bin.Func(fn)
		if err != nil {
			b.Fatal(err)
		}
		if len(f.Params) == 0 {
			b.Fatal("no parameters")
		}
		bin.Close()
	}
}
