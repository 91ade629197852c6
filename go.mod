module github.com/gobpftrace/gobpftrace

go 1.26.0

require (
	github.com/alecthomas/participle/v2 v2.1.4 // indirect
	github.com/cilium/ebpf v0.22.0 // indirect
	github.com/google/go-cmp v0.7.0 // indirect
	golang.org/x/arch v0.33.0 // indirect
	golang.org/x/sys v0.43.0 // indirect
)
