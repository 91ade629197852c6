package codegen

import "github.com/gobpftrace/gobpftrace/types"

// tpFormats are the tracepoints of fakeEnv: openat and open place
// filename differently, sched_switch has char arrays.
func tpFormats() map[string]*types.TracepointFormat {
	common := "field:unsigned short common_type; offset:0; size:2; signed:0;\nfield:int common_pid; offset:4; size:4; signed:1;\n"
	texts := map[string]string{
		"syscalls:sys_enter_openat": common + "field:int __syscall_nr; offset:8; size:4; signed:1;\nfield:int dfd; offset:16; size:8; signed:0;\n" +
			"field:const char * filename; offset:24; size:8; signed:0;\nfield:int flags; offset:32; size:8; signed:0;\n",
		"syscalls:sys_enter_open": common + "field:int __syscall_nr; offset:8; size:4; signed:1;\n" +
			"field:const char * filename; offset:16; size:8; signed:0;\nfield:int flags; offset:24; size:8; signed:0;\n",
		"sched:sched_switch":       common + "field:char prev_comm[16]; offset:8; size:16; signed:0;\nfield:pid_t prev_pid; offset:24; size:4; signed:1;\n",
		"sched:sched_process_exec": common + "field:__data_loc char[] filename; offset:8; size:4; signed:0;\n",
	}
	out := map[string]*types.TracepointFormat{}
	for k, text := range texts {
		cat, name := k[:len(k)-len(k[indexColon(k):])], k[indexColon(k)+1:]
		f, err := types.ParseTracepointFormat(cat, name, text)
		if err == nil {
			out[k] = f
		}
	}
	return out
}

func indexColon(s string) int {
	for i := range s {
		if s[i] == ':' {
			return i
		}
	}
	return len(s)
}
