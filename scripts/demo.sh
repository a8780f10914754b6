#!/usr/bin/env bash
# make demo: build, build the tiny demo guest, run the node agent with examples/demo-guest.yaml
# inside a network namespace of its own (kvg-demo: bridge, DHCP and NAT stay off this machine's
# links), wait until the guest runs with an IP, and say what to try next. `make demo-stop` ends it.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
DEMO=$REPO/.demo
NS=kvg-demo
IMAGES=/var/lib/kvmguest/images
step() { printf '\n==> %s\n' "$*"; }

[ "$(id -u)" = 0 ] || { echo "make demo needs root (network namespace, bridge, taps)" >&2; exit 1; }
if [ -f "$DEMO/agent.pid" ] && kill -0 "$(cat "$DEMO/agent.pid")" 2>/dev/null; then
  echo "a demo is already running (agent pid $(cat "$DEMO/agent.pid")); run 'make demo-stop' first" >&2
  exit 1
fi

step "building (./mvnw package)"
./mvnw -B -q -DskipTests package
mkdir -p "$DEMO/guests" "$DEMO/state"

step "building the tiny demo guest (guest-image/build.sh)"
guest-image/build.sh guest-image/out
install -D -m 0644 guest-image/out/tiny-guest.iso "$IMAGES/tiny-guest.iso"

step "starting the node agent in network namespace $NS"
ip netns list | grep -qw "$NS" || ip netns add "$NS"
ip -n "$NS" link set lo up
nohup java -jar "$REPO/node-agent/target/kvmguest-node-agent.jar" --state-dir "$DEMO/state" --guests-dir "$DEMO/guests" --netns "$NS" \
  --network nat --allowed-dir "$IMAGES" --stop-grace 15 >"$DEMO/agent.log" 2>&1 &
echo $! >"$DEMO/agent.pid"

step "applying examples/demo-guest.yaml"
cp examples/demo-guest.yaml "$DEMO/guests/demo.yaml"
STATUS=$DEMO/guests/status/default_demo.status.yaml
for i in $(seq 1 180); do
  if [ -f "$STATUS" ] && grep -q 'phase: "Running"' "$STATUS" && grep -q 'ipAddress:' "$STATUS"; then
    break
  fi
  if ! kill -0 "$(cat "$DEMO/agent.pid")" 2>/dev/null; then
    echo "the agent exited; see $DEMO/agent.log" >&2; tail -20 "$DEMO/agent.log" >&2; exit 1
  fi
  phase=$(sed -n 's/^phase: "\(.*\)"/\1/p' "$STATUS" 2>/dev/null || true)
  printf '\r   waiting for the guest: %-10s %3d s' "${phase:-Pending}" "$i"
  sleep 1
done
echo
grep -q 'ipAddress:' "$STATUS" 2>/dev/null || { echo "the guest did not get an IP in 180 s; see $DEMO/agent.log" >&2; exit 1; }
IP=$(sed -n 's/.*ipAddress: "\(.*\)"/\1/p' "$STATUS" | head -1)
UID_DIR=$(ls -d "$DEMO"/state/run/*/ | head -1)

cat <<MSG

kvmguest demo: guest "demo" is Running with IP $IP (virtio NIC, booted once from its ISO, TCG).

  status:          cat $STATUS
  serial console:  cat ${UID_DIR}serial.log
  ping it:         ip netns exec $NS ping -c 3 $IP
  agent log:       tail -f $DEMO/agent.log
  halt it:         sed -i 's/^spec:/spec:\n  runStrategy: Halted/' $DEMO/guests/demo.yaml
  stop the demo:   make demo-stop
MSG
