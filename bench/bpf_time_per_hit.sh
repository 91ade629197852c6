#!/usr/bin/env bash
# bpf_time_per_hit.sh: BPF run time per probe hit, gobpftrace vs bpftrace.
#
# For each benchmark script it runs gobpftrace and bpftrace (in turn, never
# together) with -c on a small C target (bench/target.c) that calls work()
# N times, then holds for HOLD_MS so that the kernel's per-program counters
# (kernel.bpf_stats_enabled=1; run_time_ns and run_cnt from
# `bpftool prog show -j`) can be read while the programs are still loaded.
# Prints one table row per (script, tool): hits (run_cnt), BPF ns per hit
# (run_time_ns / run_cnt), µs per call of work() as the target timed its
# loop (the whole uprobe cost: trap, BPF program, return), the wall time of
# the whole run (tool start to exit, including compile, attach and the
# hold), and the events that reached user space (the value of @, the printf
# lines, the sum of the histogram).
#
# usage: sudo bash bench/bpf_time_per_hit.sh
# env:   N=200000 (calls of work()), HOLD_MS=1000, GBT=path to a prebuilt
#        gobpftrace (default: built from this repository), BPFTRACE=bpftrace
set -euo pipefail

N=${N:-200000}
HOLD_MS=${HOLD_MS:-1000}
BPFTRACE=${BPFTRACE:-bpftrace}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")

die() { echo "bpf_time_per_hit: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (BPF stats and uprobes need it): sudo bash $0"
for t in bpftool jq cc "$BPFTRACE"; do
	command -v "$t" >/dev/null || die "$t not found in PATH"
done
[ -w /proc/sys/kernel/bpf_stats_enabled ] || die "kernel.bpf_stats_enabled is not writable (kernel too old?)"

work=$(mktemp -d /tmp/bpf_time_per_hit.XXXXXX)
old_stats=$(cat /proc/sys/kernel/bpf_stats_enabled)
cleanup() {
	sysctl -q -w kernel.bpf_stats_enabled="$old_stats" >/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

target=$work/target
cc -O2 -o "$target" "$here/target.c" || die "cannot compile $here/target.c"
if [ -n "${GBT:-}" ]; then
	gbt=$GBT
else
	command -v go >/dev/null || die "go not found (or set GBT=path to gobpftrace)"
	gbt=$work/gobpftrace
	(cd "$repo" && go build -o "$gbt" ./cmd/gobpftrace) || die "cannot build gobpftrace"
fi
sysctl -q -w kernel.bpf_stats_enabled=1 >/dev/null

# The benchmark scripts: name|program|what the output is checked for.
# "count" reads @'s value, "lines" counts printf lines, "hist" sums the
# histogram's buckets.
scripts=(
	"count|uprobe:$target:work { @ = count(); }|count"
	"printf|uprobe:$target:work { printf(\"%d %d\\n\", reg(\"ax\"), reg(\"bx\")); }|lines"
	"hist|uprobe:$target:work { @h = hist(arg0); }|hist"
)
# Scripts gobpftrace cannot run yet: its row says n/a.
gbt_unsupported=" "

# progstats IDS_BEFORE TOOL: "run_cnt run_time_ns" summed over the programs
# loaded since IDS_BEFORE that belong to TOOL (gobpftrace names its programs
# gbt_*; bpftrace 0.17 names a uprobe's program after the function).
progstats() {
	local before=$1 tool=$2 pat
	if [ "$tool" = gobpftrace ]; then pat='^gbt_'; else pat='^work$'; fi
	bpftool prog show -j | jq -r --argjson before "$before" --arg pat "$pat" '
		[ .[] | select((.id as $i | $before | index($i)) == null)
		      | select(.name | test($pat)) ]
		| "\(map(.run_cnt // 0) | add // 0) \(map(.run_time_ns // 0) | add // 0) \(length)"'
}

# received KIND FILE: events that reached user space, from the tool's stdout.
received() {
	case $1 in
	count) awk '/^@: /{v=$2} END{print v==""?0:v}' "$2" ;;
	lines) grep -cE '^-?[0-9]+ -?[0-9]+$' "$2" || true ;;
	hist) awk '/^\[.*\|/{ sub(/^\[[^]]*[])] +/, ""); s+=$1 } END{print s+0}' "$2" ;;
	esac
}

# row: one line of the table.
row() { printf '%-7s %-10s %8s %7s %8s %8s %9s  %s\n' "$@"; }

# bench TOOL NAME PROG KIND: one run; prints a table row.
bench() {
	local tool=$1 name=$2 prog=$3 kind=$4 before done out err pid t0 t1 st="" loop="" rc=0
	if [ "$tool" = gobpftrace ] && [[ $gbt_unsupported == *" $name "* ]]; then
		row "$name" "$tool" n/a n/a n/a n/a n/a "not implemented yet"
		return
	fi
	before=$(bpftool prog show -j | jq -c 'map(.id)')
	done=$work/done.$tool.$name out=$work/out.$tool.$name err=$work/err.$tool.$name
	rm -f "$done"
	local cmd=$gbt
	[ "$tool" = bpftrace ] && cmd=$BPFTRACE
	t0=$(date +%s%N)
	BENCH_DONE=$done "$cmd" -e "$prog" -c "$target $N $HOLD_MS" >"$out" 2>"$err" &
	pid=$!
	# The target creates $done when its loop is over and then holds for
	# HOLD_MS: read the counters then, while the programs are loaded.
	while kill -0 "$pid" 2>/dev/null; do
		if [ -e "$done" ]; then
			st=$(progstats "$before" "$tool")
			loop=$(cat "$done")
			break
		fi
		sleep 0.05
	done
	wait "$pid" || rc=$?
	t1=$(date +%s%N)
	local wall
	wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f s", (b-a)/1e9}')
	if [ -z "$st" ]; then
		row "$name" "$tool" - - - "$wall" - \
			"FAILED (exit $rc): $(grep -v RLIMIT_MEMLOCK "$err" | head -3 | tr '\n' ' ')"
		return
	fi
	local cnt ns nprog per rec note=""
	read -r cnt ns nprog <<<"$st"
	per=$(awk -v c="$cnt" -v t="$ns" 'BEGIN{ if (c>0) printf "%.0f", t/c; else print "-" }')
	local call
	call=$(awk -v l="$loop" -v n="$N" 'BEGIN{ printf "%.2f", l/n/1000 }')
	rec=$(received "$kind" "$out")
	[ "$rc" = 0 ] || note="exit $rc"
	[ "$nprog" = 1 ] || note="$note $nprog programs"
	local lost
	lost=$(grep -hoiE 'lost [0-9]+ events' "$out" "$err" | head -1 || true)
	[ -z "$lost" ] || note="$note $lost"
	row "$name" "$tool" "$cnt" "$per" "$call" "$wall" "$rec" "$note"
}

echo "target: work() called N=$N times, then held ${HOLD_MS} ms; $(nproc) CPUs, Linux $(uname -r)"
echo "gobpftrace: $("$gbt" -V 2>/dev/null || echo '?')   bpftrace: $("$BPFTRACE" -V 2>/dev/null)"
row script tool hits ns/hit us/call wall received note
for s in "${scripts[@]}"; do
	IFS='|' read -r name prog kind <<<"$s"
	for tool in gobpftrace bpftrace; do
		bench "$tool" "$name" "$prog" "$kind"
	done
done
