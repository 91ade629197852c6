package runtime

import (
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/cilium/ebpf"

	"github.com/gobpftrace/gobpftrace/internal/testenv"
	"github.com/gobpftrace/gobpftrace/symtab"
)

// manyRetsSrc is a Go program whose main.many has a switch of 50 cases,
// each its own return; `prog N` calls it N times.
func manyRetsSrc() string {
	var b strings.Builder
	b.WriteString("package main\n\nimport (\n\t\"os\"\n\t\"strconv\"\n)\n\n//go:noinline\nfunc many(x, y int) int {\n\tswitch x {\n")
	for i := range 50 {
		fmt.Fprintf(&b, "\tcase %d:\n\t\treturn y*%d + %d\n", i, i+3, i*7)
	}
	b.WriteString("\t}\n\treturn -1\n}\n\nfunc main() {\n\tn, _ := strconv.Atoi(os.Args[1])\n\ts := 0\n\tfor i := 0; i < n; i++ {\n\t\ts += many(i%51, i)\n\t}\n\tprintln(s)\n}\n")
	return b.String()
}

// buildManyRets builds manyRetsSrc in a temporary directory.
func buildManyRets(t testing.TB) string {
	t.Helper()
	return testenv.BuildGo(t, manyRetsSrc())
}

// TestGoUretprobeLinks: a uretprobe on a Go function attaches a plain
// uprobe at each of its RETs, with one uprobe_multi link for all of them,
// or one perf-event uprobe per RET when the program is loaded without the
// uprobe_multi attach type. Every return is counted once.
func TestGoUretprobeLinks(t *testing.T) {
	testenv.RequireBPF(t)
	bin := buildManyRets(t)
	tab, err := symtab.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := tab.Lookup("main.many")
	rets, err := tab.Returns(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("main.many has %d RETs", len(rets))
	if len(rets) < 50 {
		t.Fatalf("main.many has %d RETs, want at least 50", len(rets))
	}
	const n = 5100
	for _, mode := range loadModes {
		t.Run(mode.name, func(t *testing.T) {
			noLeaks(t)
			o := mustLoad(t, counterSpec(ebpf.Kprobe, mode.at))
			if err := o.Attach("prog", Probe{Provider: Uretprobe, Path: bin, Symbols: []string{"main.many"}}); err != nil {
				t.Fatal(err)
			}
			o.mu.Lock()
			nlinks := len(o.links)
			o.mu.Unlock()
			want := len(rets)
			if mode.at == ebpf.AttachTraceUprobeMulti {
				want = 1
			}
			if nlinks != want {
				t.Errorf("%d links, want %d", nlinks, want)
			}
			if out, err := exec.Command(bin, strconv.Itoa(n)).CombinedOutput(); err != nil {
				t.Fatalf("target: %v\n%s", err, out)
			}
			if got := count(t, o); got != n {
				t.Errorf("count = %d, want %d returns", got, n)
			}
		})
	}
}

// BenchmarkGoUretprobeAttach measures attaching (and detaching) a return
// probe on a Go function with 50+ RETs: decoding it and creating the link.
func BenchmarkGoUretprobeAttach(b *testing.B) {
	testenv.RequireBPF(b)
	bin := buildManyRets(b)
	for _, c := range []struct {
		name string
		at   ebpf.AttachType
		prov Provider
	}{
		{"multi/return", ebpf.AttachTraceUprobeMulti, Uretprobe},
		{"multi/entry", ebpf.AttachTraceUprobeMulti, Uprobe}, // one site, for comparison
		{"single/return", ebpf.AttachNone, Uretprobe},
	} {
		b.Run(c.name, func(b *testing.B) {
			o, err := LoadSpec(counterSpec(ebpf.Kprobe, c.at), nil)
			if err != nil {
				b.Fatal(err)
			}
			defer o.Close()
			p := Probe{Provider: c.prov, Path: bin, Symbols: []string{"main.many"}}
			for b.Loop() {
				cs, err := attachUprobe(target{prog: o.Program("prog")}, p)
				if err != nil {
					b.Fatal(err)
				}
				closeAll(cs)
			}
		})
	}
}
