#!/usr/bin/env bash
# Stand-in for qemu-system-x86_64 in supervision tests (KubeVirt's fake-qemu-process idea):
# understands -pidfile P and -daemonize; -fake-fail MSG exits 1 with a qemu-like error;
# -fake-ignore-term keeps running on SIGTERM (only SIGKILL ends it).
set -u
pidfile="" daemonize=0 fail="" ignore_term=0
while [ $# -gt 0 ]; do
  case "$1" in
    -pidfile) pidfile="$2"; shift ;;
    -daemonize) daemonize=1 ;;
    -fake-fail) fail="$2"; shift ;;
    -fake-ignore-term) ignore_term=1 ;;
  esac
  shift
done
if [ -n "$fail" ]; then
  echo "qemu-system-x86_64: $fail" >&2
  exit 1
fi
run() {
  if [ "$ignore_term" = 1 ]; then trap '' TERM; else trap 'exit 0' TERM; fi
  echo "$BASHPID" > "$pidfile.tmp" && mv "$pidfile.tmp" "$pidfile"
  while :; do sleep 0.1; done
}
if [ "$daemonize" = 1 ]; then
  run </dev/null >/dev/null 2>&1 &
  for _ in $(seq 100); do [ -s "$pidfile" ] && exit 0; sleep 0.05; done
  echo "fake-qemu: daemon did not write $pidfile" >&2
  exit 1
fi
run
