package types

import (
	"strings"
	"testing"
)

const openatFormat = `name: sys_enter_openat
ID: 782
format:
	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
	field:unsigned char common_flags;	offset:2;	size:1;	signed:0;
	field:unsigned char common_preempt_count;	offset:3;	size:1;	signed:0;
	field:int common_pid;	offset:4;	size:4;	signed:1;

	field:int __syscall_nr;	offset:8;	size:4;	signed:1;
	field:int dfd;	offset:16;	size:8;	signed:0;
	field:const char * filename;	offset:24;	size:8;	signed:0;
	field:int flags;	offset:32;	size:8;	signed:0;
	field:umode_t mode;	offset:40;	size:8;	signed:0;

print fmt: "dfd: 0x%08lx"
`

const openFormat = `format:
	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
	field:int __syscall_nr;	offset:8;	size:4;	signed:1;
	field:const char * filename;	offset:16;	size:8;	signed:0;
	field:int flags;	offset:24;	size:8;	signed:0;
`

const execFormat = `format:
	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
	field:__data_loc char[] filename;	offset:8;	size:4;	signed:0;
	field:pid_t pid;	offset:12;	size:4;	signed:1;
	field:char comm[16];	offset:16;	size:16;	signed:0;
`

// tpEnv is fakeEnv with three tracepoints.
func tpEnv(t *testing.T) *MapEnv {
	env := fakeEnv()
	env.TpFormats = map[string]*TracepointFormat{}
	for _, tp := range []struct{ cat, name, text string }{
		{"syscalls", "sys_enter_openat", openatFormat},
		{"syscalls", "sys_enter_open", openFormat},
		{"sched", "sched_process_exec", execFormat},
	} {
		f, err := ParseTracepointFormat(tp.cat, tp.name, tp.text)
		if err != nil {
			t.Fatal(err)
		}
		env.TpFormats[tp.cat+":"+tp.name] = f
	}
	return env
}

func TestParseTracepointFormat(t *testing.T) {
	f, err := ParseTracepointFormat("syscalls", "sys_enter_openat", openatFormat)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Fields) != 9 {
		t.Fatalf("got %d fields: %+v", len(f.Fields), f.Fields)
	}
	fn, _ := f.Field("filename")
	if fn.Offset != 24 || fn.Size != 8 || !fn.Pointer || fn.Type != "const char *" {
		t.Errorf("filename = %+v", fn)
	}
	dfd, _ := f.Field("dfd")
	if !dfd.Signed || dfd.Size != 8 { // int in an 8-byte slot is s64, as in bpftrace
		t.Errorf("dfd = %+v", dfd)
	}
	e, _ := ParseTracepointFormat("sched", "sched_process_exec", execFormat)
	loc, _ := e.Field("filename")
	comm, _ := e.Field("comm")
	if !loc.DataLoc || comm.ArrayOf != 16 || comm.Type != "char[16]" {
		t.Errorf("filename = %+v, comm = %+v", loc, comm)
	}
}

func TestTracepointTypes(t *testing.T) {
	prog := `tracepoint:syscalls:sys_enter_openat { @d = args->dfd; @f = args.flags; @n = args->__syscall_nr;
@p = args->common_pid; @s = str(args->filename); @m = args.mode; }
t:sched:sched_process_exec { @c = args->comm; @e = str(args->filename); @q = probe; }`
	info, errs, _ := check(t, prog, &Config{Env: tpEnv(t)})
	if errs != "" {
		t.Fatalf("errors:\n%s", errs)
	}
	want := map[string]string{"@d": "int64", "@f": "int64", "@n": "int64", "@p": "int64",
		"@s": "string[64]", "@m": "unsigned int64", "@c": "string[16]", "@e": "string[64]", "@q": "probe"}
	for name, w := range want {
		m := info.Maps[strings.TrimPrefix(name, "@")]
		if m == nil || m.Value.String() != w {
			t.Errorf("%s: got %v, want %s", name, m, w)
		}
	}
	tg := info.Probes[0].Targets[0]
	if tg.Name != "tracepoint:syscalls:sys_enter_openat" || tg.Category != "syscalls" || tg.Tracepoint != "sys_enter_openat" {
		t.Errorf("target = %+v", tg)
	}
	n := 0
	for e, f := range info.TpFields {
		if !f.Root {
			n++
			if info.TypeOf(e).String() == "int32" && f.Name != "__syscall_nr" && f.Name != "common_pid" {
				t.Errorf("%s typed int32", f.Name)
			}
		}
	}
	if n != 8 {
		t.Errorf("got %d field records, want 8", n)
	}
}

func TestTracepointWildcard(t *testing.T) {
	info, errs, _ := check(t, `tracepoint:syscalls:sys_enter_open* { @[probe] = count(); @f = str(args->filename); }`, &Config{Env: tpEnv(t)})
	if errs != "" {
		t.Fatalf("errors:\n%s", errs)
	}
	var names []string
	for _, tg := range info.Probes[0].Targets {
		names = append(names, tg.Name)
	}
	if got := strings.Join(names, " "); got != "tracepoint:syscalls:sys_enter_open tracepoint:syscalls:sys_enter_openat" {
		t.Errorf("targets: %s", got)
	}
	var offs []int
	for e, f := range info.TpFields {
		if !f.Root {
			_ = e
			for _, fd := range f.Fields {
				offs = append(offs, fd.Offset)
			}
		}
	}
	if len(offs) != 2 || offs[0] != 16 || offs[1] != 24 {
		t.Errorf("filename offsets per target = %v, want [16 24]", offs)
	}
	info, _, _ = check(t, `tracepoint:*:sys_enter_open* { exit(); }`, &Config{Env: tpEnv(t)})
	if n := len(info.Probes[0].Targets); n != 2 {
		t.Errorf("*:sys_enter_open* matched %d", n)
	}
}

func TestTracepointErrors(t *testing.T) {
	for _, tc := range []struct{ prog, want string }{
		{`tracepoint:syscalls:sys_enter_openat { print(args->nope); }`,
			"stdin:1:40-56: ERROR: Struct/union of type 'struct _tracepoint_syscalls_sys_enter_openat' does not contain a field named 'nope'"},
		{`tracepoint:syscalls:sys_enter_open* { print(args->dfd); }`,
			"ERROR: Struct/union of type 'struct _tracepoint_syscalls_sys_enter_open' does not contain a field named 'dfd'"},
		{`tracepoint:syscalls:sys_enter_nope { exit(); }`,
			"stdin:1:1-35: ERROR: tracepoint not found: syscalls:sys_enter_nope"},
		{`tracepoint:nope:* { exit(); }`, "stdin:1:1-18: ERROR: tracepoints not found: nope:*"},
		{`tracepoint:syscalls { exit(); }`, "ERROR: tracepoint probe type requires 2 arguments"},
		{`tracepoint:syscalls:sys_enter_openat { print(retval); }`, "(try to use args->ret instead)"},
	} {
		_, errs, _ := check(t, tc.prog, &Config{Env: tpEnv(t)})
		if !strings.Contains(errs, tc.want) {
			t.Errorf("%s:\ngot  %s\nwant %s", tc.prog, errs, tc.want)
		}
	}
}
