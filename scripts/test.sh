#!/usr/bin/env bash
# Runs gobpftrace's whole test suite on a fresh Debian machine of the
# project's kind, installing what the tests need first: the reference
# bpftrace 0.17 (and its 38 classic tools in /usr/sbin), bpftool, <sys/sdt.h>
# for USDT test programs, and a mounted tracefs. Kernel tests need root; under
# CI (CI=true) a kernel test that would skip fails instead.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"

sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"

need=()
command -v bpftrace >/dev/null 2>&1 || need+=(bpftrace)
command -v bpftool >/dev/null 2>&1 || need+=(bpftool)
[ -e /usr/include/x86_64-linux-gnu/sys/sdt.h ] || [ -e /usr/include/sys/sdt.h ] || need+=(systemtap-sdt-dev)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [ -d /sys/kernel/tracing ] && ! mountpoint -q /sys/kernel/tracing; then
  $sudo mount -t tracefs tracefs /sys/kernel/tracing || echo "warning: could not mount tracefs"
fi

go vet ./...
go test -count=1 "$@" ./...
