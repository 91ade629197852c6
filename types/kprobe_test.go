package types

import (
	"github.com/gobpftrace/gobpftrace/internal/testenv"
	"reflect"
	"strings"
	"testing"
)

// kernelEnv is fakeEnv with a few kernel functions, one in a module, and
// data symbols that must not count.
func kernelEnv() *MapEnv {
	e := fakeEnv()
	e.Kallsyms = `ffffffff816d5b70 T vfs_read
ffffffff816d5c70 T vfs_write
ffffffff816d5d70 t vfs_writev
ffffffff816d5e70 t vfs_read
ffffffff82000000 D vfs_dentry_cache
ffffffffc0201000 t ext4_file_read_iter	[ext4]
ffffffffc0202000 T vfs_mod_helper	[ext4]
`
	return e
}

func kprobeNames(t *testing.T, src string) ([]string, []*Target, string) {
	t.Helper()
	info, errs, warns := check(t, src, &Config{Env: kernelEnv()})
	if errs != "" {
		t.Fatalf("%s:\n%s", src, errs)
	}
	var names []string
	for _, tg := range info.Probes[0].Targets {
		names = append(names, tg.Name)
	}
	return names, info.Probes[0].Targets, warns
}

func TestKprobeTargets(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want []string
	}{
		{`kprobe:vfs_read { @[arg0, func] = count(); }`, []string{"kprobe:vfs_read"}},
		{`k:vfs_read+0x10 { @ = arg1; }`, []string{"kprobe:vfs_read+16"}},
		{`kr:vfs_read { @ = retval; }`, []string{"kretprobe:vfs_read"}},
		{`kprobe:vfs_* { @[probe] = count(); }`, []string{"kprobe:vfs_mod_helper", "kprobe:vfs_read", "kprobe:vfs_write", "kprobe:vfs_writev"}},
		{`kprobe:ext4:* { @[func] = count(); }`, []string{"kprobe:ext4_file_read_iter", "kprobe:vfs_mod_helper"}},
		{`kprobe:ext4:ext4_file_read_iter { @[kstack] = count(); }`, []string{"kprobe:ext4:ext4_file_read_iter"}},
		{`kretprobe:*:vfs_w* { @[reg("ax")] = count(); }`, []string{"kretprobe:vfs_write", "kretprobe:vfs_writev"}},
	} {
		names, _, warns := kprobeNames(t, tc.src)
		if !reflect.DeepEqual(names, tc.want) {
			t.Errorf("%s: targets %q, want %q", tc.src, names, tc.want)
		}
		if warns != "" {
			t.Errorf("%s: warnings:\n%s", tc.src, warns)
		}
	}
	_, tgs, _ := kprobeNames(t, `kprobe:vfs_read+0x10 { exit(); }`)
	if tg := tgs[0]; tg.Symbol != "vfs_read" || tg.Offset != 16 || tg.Provider != "kprobe" {
		t.Errorf("target %+v", tg)
	}
}

// TestKprobeUnknown: an exact name the kernel does not list gets 0.17's
// warning (it fails at attach), a wildcard matching nothing is an error.
func TestKprobeUnknown(t *testing.T) {
	names, _, warns := kprobeNames(t, `kprobe:nosuchfn { }`)
	if len(names) != 1 || names[0] != "kprobe:nosuchfn" {
		t.Errorf("targets %q", names)
	}
	want := `stdin:1:1-16: WARNING: nosuchfn is not traceable (either non-existing, inlined, or marked as "notrace"); attaching to it will likely fail`
	if first, _, _ := strings.Cut(warns, "\n"); first != want {
		t.Errorf("warnings:\n%s\nwant %s", warns, want)
	}
	// vfs_dentry_cache is a data symbol, not a function.
	if _, _, w := kprobeNames(t, `kprobe:vfs_dentry_cache { }`); !strings.Contains(w, "not traceable") {
		t.Errorf("a data symbol was accepted as a function")
	}
}

func TestKprobeErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{`kprobe:nope* { }`, "stdin:1:1-13: ERROR: no kernel function matches 'nope*'"},
		{`kprobe:xfs:* { }`, "stdin:1:1-13: ERROR: no kernel function matches 'xfs:*'"},
		{`kretprobe:vfs_read+4 { }`, "stdin:1:1-21: ERROR: Offset not allowed"},
		{`kprobe:vfs_read+1+2 { }`, "stdin:1:1-20: ERROR: Cannot take more than one offset"},
		{`kprobe:vfs_read+x { }`, "stdin:1:1-18: ERROR: Invalid offset: 'x'"},
		{`kprobe:vfs_*+4 { }`, "stdin:1:1-15: ERROR: Cannot use wildcards with an offset"},
		{`kprobe:a:b:c { }`, "stdin:1:1-13: ERROR: kprobe probe type requires 1 argument"},
		{`kprobe:vfs_read { @ = retval; }`, "ERROR: The retval builtin can only be used with 'kretprobe' and 'uretprobe' and 'kfunc' probes"},
		{`kretprobe:vfs_read { @ = arg0; }`, "ERROR: The arg0 builtin can only be used with 'kprobes', 'uprobes' and 'usdt' probes"},
		{`kretprobe:vfs_read { @ = sarg0; }`, "ERROR: The sarg0 builtin can only be used with 'kprobes' and 'uprobes' probes"},
		{`kprobe:vfs_read { @ = args; }`, "ERROR: The args builtin can only be used with tracepoint/kfunc/uprobeprobes (kprobe used here)"},
	} {
		_, errs, _ := check(t, tc.src, &Config{Env: kernelEnv()})
		first, _, _ := strings.Cut(errs, "\n")
		if !strings.Contains(first, tc.want) {
			t.Errorf("%s:\n got %s\nwant %s", tc.src, errs, tc.want)
		}
	}
}

func TestParseKallsyms(t *testing.T) {
	syms, err := parseKallsyms(strings.NewReader(kernelEnv().Kallsyms))
	if err != nil {
		t.Fatal(err)
	}
	want := []kernelSym{{"vfs_read", ""}, {"vfs_write", ""}, {"vfs_writev", ""}, {"vfs_read", ""},
		{"ext4_file_read_iter", "ext4"}, {"vfs_mod_helper", "ext4"}}
	if !reflect.DeepEqual(syms, want) {
		t.Errorf("got %v\nwant %v", syms, want)
	}
}

// TestHostKernelFuncs reads this machine's /proc/kallsyms.
func TestHostKernelFuncs(t *testing.T) {
	var e HostEnv
	fns, err := e.KernelFuncs("vfs_rea*")
	if err != nil {
		testenv.Skip(t, err.Error())
	}
	found := false
	for _, f := range fns {
		found = found || f == "vfs_read"
	}
	if !found {
		t.Errorf("no vfs_read in %s: %q", KallsymsPath, fns)
	}
}
