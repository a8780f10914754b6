#!/usr/bin/env bash
# Ends `make demo`: standalone powers the guest off on SIGTERM, then the namespace goes.
set -euo pipefail
cd "$(dirname "$0")/.."
DEMO=$(pwd)/.demo
if [ -f "$DEMO/standalone.pid" ]; then
  pid=$(cat "$DEMO/standalone.pid")
  if kill -0 "$pid" 2>/dev/null; then
    echo "stopping kvmguest standalone (pid $pid); it powers the guest off first"
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$DEMO/standalone.pid"
fi
if ip netns list | grep -qw kvg-demo; then
  for p in $(ip netns pids kvg-demo); do kill "$p" 2>/dev/null || true; done  # dnsmasq of the NAT bridge
  ip netns del kvg-demo
fi
echo "demo stopped"
