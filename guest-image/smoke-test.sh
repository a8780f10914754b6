#!/bin/bash
# End-to-end smoke test for the tiny test guest built by build.sh.
#
#   guest-image/smoke-test.sh OUTDIR
#
# Builds (or reuses) OUTDIR/tiny-guest.{iso,raw}, then, inside a throwaway network
# namespace kvg-smoke-<pid> (bridge br0 10.77.0.1/24 + dnsmasq + one tap per guest),
# boots the guest under TCG once per case and checks:
#   - the KVMGUEST-READY line appears on the serial console (bounded wait)
#   - driver and MAC in that line match the NIC model / MAC given to qemu
#   - the leased IP answers ping from the namespace
#   - QMP system_powerdown makes qemu exit within POWERDOWN_TIMEOUT seconds
# Nothing touches the root network namespace; everything this script starts is
# recorded by PID and stopped in the EXIT trap; the namespace is deleted.
#
# Env: KVG_READY_TIMEOUT (default 90 s), KVG_POWERDOWN_TIMEOUT (default 10 s),
#      KVG_SMOKE_CASES (space-separated subset of case names, default all),
#      KVG_KEEP_LOGS=1 (keep the work dir with serial/dnsmasq logs; kept anyway on failure).
set -euo pipefail

HERE=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
log() { printf '[smoke %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[smoke] FAIL: %s\n' "$*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 OUTDIR"
OUTDIR=$1
READY_TIMEOUT=${KVG_READY_TIMEOUT:-90}
POWERDOWN_TIMEOUT=${KVG_POWERDOWN_TIMEOUT:-10}
[ "$(id -u)" = 0 ] || die "must run as root (netns, tap, apt-get)"

# name | qemu NIC model | boot medium | expected guest driver
ALL_CASES="
virtio-iso       virtio-net-pci iso       virtio_net
e1000-iso        e1000          iso       e1000
rtl8139-cdrom    rtl8139        cdrom     8139cp
virtio-disk      virtio-net-pci disk-virtio virtio_net
e1000-ide-disk   e1000          disk-ide  e1000
"

# ------------------------------------------------------------------ setup --
"$HERE/build.sh" "$OUTDIR"
OUTDIR=$(readlink -f "$OUTDIR")
ISO=$OUTDIR/tiny-guest.iso
RAW=$OUTDIR/tiny-guest.raw

missing=""
for p in qemu-system-x86 qemu-utils dnsmasq-base iproute2 iputils-ping socat; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
    log "installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing
fi

NS=kvg-smoke-$$
T=$(mktemp -d /tmp/kvg-smoke.XXXXXX)
QEMU_PIDS=()
DNSMASQ_PID=""
NS_CREATED=0

# stop_pid PID EXPECTED_COMM: TERM, bounded wait, KILL; only if the PID is still ours
stop_pid() {
    local pid=$1 comm=$2 i
    [ -n "$pid" ] && [ -r "/proc/$pid/comm" ] || return 0
    case "$(cat "/proc/$pid/comm" 2>/dev/null)" in "$comm"*) ;; *) return 0 ;; esac
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 1 50); do
        alive "$pid" || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}
# alive PID: running and not a zombie
alive() {
    local st
    st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    local pid
    for pid in "${QEMU_PIDS[@]}"; do stop_pid "$pid" qemu-system; done
    stop_pid "$DNSMASQ_PID" dnsmasq
    # reap it (bounded: only when it is already gone)
    if [ -n "$DNSMASQ_PID" ] && ! alive "$DNSMASQ_PID"; then wait "$DNSMASQ_PID" 2>/dev/null || true; fi
    if [ $NS_CREATED = 1 ]; then ip netns del "$NS" 2>/dev/null || true; fi
    if [ $rc = 0 ] && [ "${KVG_KEEP_LOGS:-0}" != 1 ]; then
        rm -rf "$T"
    else
        echo "[smoke] logs kept in $T" >&2
    fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
nsx() { ip netns exec "$NS" "$@"; }

log "namespace $NS, work dir $T"
ip netns add "$NS"
NS_CREATED=1
ip -n "$NS" link set lo up
ip -n "$NS" link add br0 type bridge stp_state 0 forward_delay 0
ip -n "$NS" addr add 10.77.0.1/24 dev br0
ip -n "$NS" link set br0 up

# `ip netns exec` execs the command in place, so $! is dnsmasq itself
# (not via the nsx function: that would put a bash subshell in between).
ip netns exec "$NS" dnsmasq --keep-in-foreground --conf-file=/dev/null --user=root \
    --port=0 --bind-interfaces --interface=br0 --except-interface=lo \
    --dhcp-range=10.77.0.50,10.77.0.99,255.255.255.0,1h --dhcp-authoritative --no-ping \
    --dhcp-leasefile="$T/dnsmasq.leases" --pid-file="$T/dnsmasq.pid" \
    --log-dhcp --log-facility="$T/dnsmasq.log" &
DNSMASQ_PID=$!
for _ in $(seq 1 50); do
    grep -q 'DHCP, IP range' "$T/dnsmasq.log" 2>/dev/null && break
    alive "$DNSMASQ_PID" || die "dnsmasq exited: $(cat "$T/dnsmasq.log" 2>/dev/null)"
    sleep 0.1
done
grep -q 'DHCP, IP range' "$T/dnsmasq.log" || die "dnsmasq not ready after 5 s"
[ "$(cat "/proc/$DNSMASQ_PID/comm")" = dnsmasq ] || die "pid $DNSMASQ_PID is not dnsmasq"
log "dnsmasq up (pid $DNSMASQ_PID)"

qmp() { # qmp SOCKET COMMAND
    printf '{"execute":"qmp_capabilities"}\n{"execute":"%s"}\n' "$2" |
        timeout 5 socat -t 2 - "UNIX-CONNECT:$1" 2>&1
}

# ------------------------------------------------------------------ cases --
RESULTS=()
n=0
while read -r name model medium driver <&3; do
    [ -n "$name" ] || continue
    if [ -n "${KVG_SMOKE_CASES:-}" ] && ! grep -qw -- "$name" <<< "$KVG_SMOKE_CASES"; then continue; fi
    n=$((n + 1))
    tap=kvgtap$n
    mac=$(printf '52:54:00:77:00:%02x' $n)
    serial=$T/$name.serial
    qmpsock=$T/$name.qmp
    pidfile=$T/$name.pid
    log "case $name: nic=$model medium=$medium mac=$mac"

    ip -n "$NS" tuntap add dev "$tap" mode tap
    ip -n "$NS" link set "$tap" master br0
    ip -n "$NS" link set "$tap" up

    case $medium in
        iso)   boot=(-cdrom "$ISO" -boot d) ;;
        cdrom) boot=(-drive "file=$ISO,format=raw,media=cdrom,if=ide,readonly=on" -boot d) ;;
        disk-virtio|disk-ide)
            qemu-img create -q -f qcow2 -b "$RAW" -F raw "$T/$name.qcow2"
            boot=(-drive "file=$T/$name.qcow2,format=qcow2,if=${medium#disk-}") ;;
        *) die "unknown medium $medium" ;;
    esac

    t0=$(now)
    nsx qemu-system-x86_64 -name "kvg-smoke-$name" -accel tcg -m 256 -smp 1 \
        -display none -monitor none -serial "file:$serial" \
        -qmp "unix:$qmpsock,server=on,wait=off" \
        -netdev "tap,id=n0,ifname=$tap,script=no,downscript=no" \
        -device "$model,netdev=n0,mac=$mac" \
        "${boot[@]}" \
        -daemonize -pidfile "$pidfile" < /dev/null 2> "$T/$name.qemu.err" ||
        die "$name: qemu failed to start: $(cat "$T/$name.qemu.err")"
    qpid=$(cat "$pidfile")
    QEMU_PIDS+=("$qpid")

    # READY (bounded)
    line=""
    booted_s="-"
    deadline=$(( $(date +%s) + READY_TIMEOUT ))
    while [ "$(date +%s)" -lt $deadline ]; do
        if [ "$booted_s" = - ] && grep -aq KVMGUEST-BOOTED "$serial"; then booted_s=$(elapsed "$t0" "$(now)"); fi
        line=$(tr -d '\r' < "$serial" | grep -a -m1 -E '^KVMGUEST-(READY|NOLEASE) ' || true)
        [ -n "$line" ] && break
        alive "$qpid" || break
        sleep 0.1
    done
    t_ready=$(now)
    booted=$(grep -ac KVMGUEST-BOOTED "$serial" || true)
    [ -n "$line" ] || die "$name: no READY line within ${READY_TIMEOUT}s (qemu alive: $(alive "$qpid" && echo yes || echo no), BOOTED seen: $booted); serial tail: $(tail -c 600 "$serial")"
    case $line in KVMGUEST-READY*) ;; *) die "$name: guest reported: $line" ;; esac
    ready_s=$(elapsed "$t0" "$t_ready")
    log "  $line  (BOOTED after ${booted_s}s, READY after ${ready_s}s from qemu start)"

    got_driver=$(sed -n 's/.* driver=\([^ ]*\).*/\1/p' <<< "$line")
    got_mac=$(sed -n 's/.* mac=\([^ ]*\).*/\1/p' <<< "$line")
    got_ip=$(sed -n 's/.* ip=\([^ ]*\).*/\1/p' <<< "$line")
    [ "$got_driver" = "$driver" ] || die "$name: driver '$got_driver' != expected '$driver'"
    [ "$got_mac" = "$mac" ] || die "$name: mac '$got_mac' != expected '$mac'"
    [[ $got_ip =~ ^10\.77\.0\.([0-9]+)$ ]] && [ "${BASH_REMATCH[1]}" -ge 50 ] && [ "${BASH_REMATCH[1]}" -le 99 ] ||
        die "$name: ip '$got_ip' not from the test DHCP range"
    grep -q "$mac $got_ip " "$T/dnsmasq.leases" || die "$name: dnsmasq has no lease $mac $got_ip"

    # ping (first echo right after DHCPACK is often lost: retry)
    pinged=0
    for attempt in $(seq 1 10); do
        if nsx ping -n -c1 -W1 "$got_ip" > "$T/$name.ping" 2>&1; then pinged=1; break; fi
    done
    [ $pinged = 1 ] || die "$name: no ping reply from $got_ip: $(cat "$T/$name.ping")"
    log "  ping $got_ip ok (attempt $attempt)"

    # ACPI powerdown via QMP
    t1=$(now)
    qmp "$qmpsock" system_powerdown > "$T/$name.qmp.log"
    grep -q '"return"' "$T/$name.qmp.log" || die "$name: QMP failed: $(cat "$T/$name.qmp.log")"
    deadline=$(( $(date +%s) + POWERDOWN_TIMEOUT ))
    while alive "$qpid" && [ "$(date +%s)" -lt $deadline ]; do sleep 0.1; done
    alive "$qpid" && die "$name: qemu still running ${POWERDOWN_TIMEOUT}s after system_powerdown"
    off_s=$(elapsed "$t1" "$(now)")
    grep -aq KVMGUEST-POWEROFF "$serial" || die "$name: qemu exited but guest did not log KVMGUEST-POWEROFF"
    log "  powerdown -> qemu exited after ${off_s}s"

    ip -n "$NS" link del "$tap"
    RESULTS+=("$(printf '%-16s %-15s %-12s %-11s %-12s %8s %7s %10s' "$name" "$model" "$medium" "$got_driver" "$got_ip" "$booted_s" "$ready_s" "$off_s")")
done 3<<< "$ALL_CASES"

[ $n -gt 0 ] || die "no case selected"
echo
printf '%-16s %-15s %-12s %-11s %-12s %8s %7s %10s\n' case nic medium driver ip booted_s ready_s poweroff_s
printf '%s\n' "${RESULTS[@]}"
echo
log "PASS: $n case(s)"
