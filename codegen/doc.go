// Package codegen compiles a checked bpftrace program into eBPF instructions
// with cilium/ebpf/asm: lowering to an IR on virtual registers, register
// allocation with liveness, and emission; plus map specs and the event
// table. It never touches the kernel.
//
// The backend core is three stages. A [Builder] records a function body as
// IR instructions over virtual registers ([VReg]) with labels and jumps by
// name (ir*.go). [Builder.Compile] removes unreachable code, computes
// liveness over the control-flow graph, assigns the BPF registers r0-r9 by
// graph colouring (values live across a helper call go to r6-r9, spilling to
// 8-byte stack slots when registers run out; regalloc*.go), and emits
// asm.Instructions whose jumps are resolved by symbol (emit*.go).
package codegen
