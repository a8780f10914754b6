#!/usr/bin/env bash
# Ends `make demo`: the agent powers the guest off on SIGTERM, then the namespace goes.
set -euo pipefail
cd "$(dirname "$0")/.."
DEMO=$(pwd)/.demo
if [ -f "$DEMO/agent.pid" ]; then
  pid=$(cat "$DEMO/agent.pid")
  if kill -0 "$pid" 2>/dev/null; then
    echo "stopping the node agent (pid $pid); it powers the guest off first"
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$DEMO/agent.pid"
fi
ip netns list | grep -qw kvg-demo && ip netns del kvg-demo
echo "demo stopped"
