#!/usr/bin/env bash
# make demo: build, build the tiny demo guest, start kvmguest standalone (embedded Kubernetes API +
# operator + node agent) inside a network namespace of its own (kvg-demo: the NAT bridge, DHCP and
# taps stay off this machine's links), `kubectl apply -f examples/demo-guest.yaml`, wait until the
# guest runs with an IP, and say what to type next. `make demo-stop` ends it.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
DEMO=$REPO/.demo
NS=kvg-demo
IMAGES=/var/lib/kvmguest/images
KUBECONFIG_FILE=$DEMO/state/kubeconfig
step() { printf '\n==> %s\n' "$*"; }
kube() { ip netns exec "$NS" env KUBECONFIG="$KUBECONFIG_FILE" kubectl "$@"; }

[ "$(id -u)" = 0 ] || { echo "make demo needs root (network namespace, bridge, taps)" >&2; exit 1; }
if [ -f "$DEMO/standalone.pid" ] && kill -0 "$(cat "$DEMO/standalone.pid")" 2>/dev/null; then
  echo "a demo is already running (pid $(cat "$DEMO/standalone.pid")); run 'make demo-stop' first" >&2
  exit 1
fi

step "building (./mvnw package)"
./mvnw -B -q -DskipTests package 2>&1 | grep -v '^SLF4J' || true
[ -f standalone/target/kvmguest-standalone.jar ] || { echo "build failed" >&2; exit 1; }

step "building the tiny demo guest (guest-image/build.sh)"
guest-image/build.sh guest-image/out
install -D -m 0644 guest-image/out/tiny-guest.iso "$IMAGES/tiny-guest.iso"

step "starting kvmguest standalone in network namespace $NS"
mkdir -p "$DEMO"
ip netns list | grep -qw "$NS" || ip netns add "$NS"
ip -n "$NS" link set lo up
nohup ip netns exec "$NS" java -jar "$REPO/standalone/target/kvmguest-standalone.jar" --state-dir "$DEMO/state" \
  --allowed-dir "$IMAGES" --node-name "$(hostname)" >"$DEMO/standalone.log" 2>&1 &
echo $! >"$DEMO/standalone.pid"
for i in $(seq 1 90); do
  grep -q "kvmguest standalone ready" "$DEMO/standalone.log" && break
  kill -0 "$(cat "$DEMO/standalone.pid")" 2>/dev/null || { echo "standalone exited; see $DEMO/standalone.log" >&2; tail -20 "$DEMO/standalone.log" >&2; exit 1; }
  sleep 1
done
grep "kvmguest standalone ready" "$DEMO/standalone.log"

step "kubectl apply -f examples/demo-guest.yaml"
kube apply -f examples/demo-guest.yaml
for i in $(seq 1 300); do
  phase=$(kube get vg demo -o jsonpath='{.status.phase}' 2>/dev/null || true)
  ip=$(kube get vg demo -o jsonpath='{.status.interfaces[0].ipAddress}' 2>/dev/null || true)
  printf '\r   waiting for the guest: %-10s %3d s' "${phase:-Pending}" "$i"
  [ "$phase" = Running ] && [ -n "$ip" ] && break
  sleep 1
done
echo
[ -n "${ip:-}" ] || { echo "the guest did not get an IP in 300 s; see $DEMO/standalone.log" >&2; exit 1; }
kube get vg
VNC=$(kube get vg demo -o jsonpath='{.status.vnc.address}')

cat <<MSG

kvmguest demo: VirtualGuest "demo" is Running with IP $ip (virtio NIC, booted once from its ISO).
Everything runs inside network namespace $NS; prefix commands with "ip netns exec $NS":

  export KUBECONFIG=$KUBECONFIG_FILE
  ip netns exec $NS kubectl get vg                   # Phase, Node, IP, Age
  ip netns exec $NS kubectl describe vg demo         # conditions, MACs, events
  ip netns exec $NS ping -c 3 $ip
  ip netns exec $NS kubectl explain virtualguest.spec.interfaces
  VNC console: $VNC (inside $NS)
  logs: $DEMO/standalone.log
  stop: make demo-stop        (powers the guest off, removes the namespace)
MSG
