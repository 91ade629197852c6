package runtime

import (
	"time"

	"github.com/gobpftrace/gobpftrace/codegen"
)

// probesFor turns a compiled probe's targets into attach requests. Uprobe
// targets on the same binary become one request, so that a wildcard costs
// one uprobe_multi link.
func probesFor(p *codegen.Probe, pid int) []Probe {
	var out []Probe
	byBinary := map[string]int{} // binary → index in out, for symbol targets
	for i, t := range p.Targets {
		cookie := uint64(i) // the target's index: how probe and func know which fired
		switch t.Provider {
		case "begin":
			out = append(out, Probe{Provider: Begin})
		case "end":
			out = append(out, Probe{Provider: End})
		case "uprobe", "uretprobe":
			prov := Uprobe
			if t.Provider == "uretprobe" {
				prov = Uretprobe
			}
			if t.Symbol != "" && t.Offset == 0 {
				if j, ok := byBinary[t.Binary]; ok {
					out[j].Symbols = append(out[j].Symbols, t.Symbol)
					out[j].Cookies = append(out[j].Cookies, cookie)
					continue
				}
				byBinary[t.Binary] = len(out)
				out = append(out, Probe{Provider: prov, Path: t.Binary, Symbols: []string{t.Symbol}, Cookies: []uint64{cookie}, PID: pid})
				continue
			}
			out = append(out, Probe{Provider: prov, Path: t.Binary, Address: t.Address, Cookies: []uint64{cookie}, PID: pid})
		case "kprobe", "kretprobe":
			prov := Kprobe
			if t.Provider == "kretprobe" {
				prov = Kretprobe
			}
			out = append(out, Probe{Provider: prov, Symbols: []string{t.Symbol}, Offset: t.Offset, Cookies: []uint64{cookie}})
		case "tracepoint":
			out = append(out, Probe{Provider: Tracepoint, Category: t.Category, Name: t.Tracepoint, Cookies: []uint64{cookie}})
		case "interval":
			out = append(out, Probe{Provider: Interval, Period: period(t.PeriodNS, t.Freq)})
		case "profile":
			if t.Freq > 0 {
				out = append(out, Probe{Provider: Profile, Freq: t.Freq})
			} else {
				out = append(out, Probe{Provider: Profile, Period: time.Duration(t.PeriodNS)})
			}
		}
	}
	return out
}

// period converts an interval's frequency into a period.
func period(ns, hz uint64) time.Duration {
	if hz > 0 {
		return time.Second / time.Duration(hz)
	}
	return time.Duration(ns)
}
