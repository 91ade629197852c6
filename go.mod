module github.com/gobpftrace/gobpftrace

go 1.26.0

require (
	github.com/alecthomas/participle/v2 v2.1.4
	github.com/cilium/ebpf v0.22.0
	github.com/google/go-cmp v0.7.0
	golang.org/x/arch v0.33.0
	golang.org/x/sys v0.43.0
)
