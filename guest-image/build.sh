#!/bin/bash
# Build a tiny bootable test guest (Debian kernel + busybox-static initramfs)
# from Debian packages only.
#
#   guest-image/build.sh OUTDIR
#
# Produces:
#   OUTDIR/tiny-guest.iso   isolinux ISO  (-cdrom x.iso -boot d, or -drive media=cdrom)
#   OUTDIR/tiny-guest.raw   raw disk: MBR + FAT16 partition + syslinux
#                           (-drive file=x.raw,format=raw,if=virtio|ide)
#   OUTDIR/vmlinuz, OUTDIR/initrd.gz, OUTDIR/cmdline  (for -kernel/-initrd/-append boots)
#
# The guest prints on ttyS0 (see guest-image/README.md for the contract):
#   KVMGUEST-BOOTED
#   KVMGUEST-READY iface=eth0 driver=virtio_net mac=52:54:00:12:34:56 ip=10.0.0.5
#   KVMGUEST-NOLEASE iface=eth0 driver=virtio_net mac=52:54:00:12:34:56
#   KVMGUEST-PEER iface=eth0 ip=10.0.0.6      (another guest on the same LAN answered a ping)
#
# Idempotent: skips the build when all outputs are newer than this script and
# match the installed kernel. KVG_FORCE=1 rebuilds anyway; KVG_LEASE_TIMEOUT=N
# sets the guest's DHCP timeout before KVMGUEST-NOLEASE (default 30 s).
# Needs root (apt-get, mknod).
set -euo pipefail

SCRIPT_PATH=$(readlink -f "${BASH_SOURCE[0]}")
log() { printf '[build %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[build] ERROR: %s\n' "$*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 OUTDIR"
OUTDIR=$1
mkdir -p "$OUTDIR"
OUTDIR=$(readlink -f "$OUTDIR")
ISO=$OUTDIR/tiny-guest.iso
RAW=$OUTDIR/tiny-guest.raw

# Kernel command line shared by ISO and disk. quiet keeps printk off the serial
# line so that the KVMGUEST-* lines are not interleaved with kernel messages.
CMDLINE="console=ttyS0,115200 quiet panic=10"
# Guest-side timeout (seconds) for a DHCP lease before KVMGUEST-NOLEASE is printed.
LEASE_TIMEOUT=${KVG_LEASE_TIMEOUT:-30}
# Kernel modules to put in the initramfs (dependencies are resolved with modprobe).
MODULES="virtio_pci virtio_net virtio_blk e1000 e1000e 8139cp 8139too button evdev af_packet"
PARAMS="lease_timeout=$LEASE_TIMEOUT cmdline=$CMDLINE"

# Kernel version of the installed linux-image-amd64 (NOT uname -r: the host kernel differs).
installed_kver() {
    dpkg-query -W -f='${Depends}' linux-image-amd64 2>/dev/null |
        grep -o 'linux-image-[^ ,]*' | head -n1 | sed 's/^linux-image-//'
}
# Up to date = all outputs exist, are newer than this script, and were built from
# the currently installed kernel.
up_to_date() {
    local f k
    for f in "$ISO" "$RAW" "$OUTDIR/vmlinuz" "$OUTDIR/initrd.gz"; do
        [ -s "$f" ] && [ "$f" -nt "$SCRIPT_PATH" ] || return 1
    done
    k=$(installed_kver)
    [ -n "$k" ] && cmp -s "/boot/vmlinuz-$k" "$OUTDIR/vmlinuz" &&
        [ "$(cat "$OUTDIR/.build-params" 2>/dev/null)" = "$PARAMS" ]
}
skip_if_up_to_date() {
    if [ "${KVG_FORCE:-0}" != 1 ] && up_to_date; then
        log "outputs in $OUTDIR are up to date: nothing to do (KVG_FORCE=1 to rebuild)"
        exit 0
    fi
}
skip_if_up_to_date

[ "$(id -u)" = 0 ] || die "must run as root (apt-get, mknod)"
# Serialise concurrent builds into the same OUTDIR; re-check once we hold the lock.
exec 9> "$OUTDIR/.build.lock"
flock -w 600 9 || die "timed out waiting for another build in $OUTDIR"
skip_if_up_to_date

# ---------------------------------------------------------------- packages --
NEEDED="linux-image-amd64 busybox-static iperf3 xorriso isolinux syslinux syslinux-common mtools qemu-utils cpio gzip kmod"
missing=""
for p in $NEEDED; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done
if [ -n "$missing" ]; then
    log "installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing
else
    log "all build packages present"
fi

KVER=$(installed_kver)
[ -n "$KVER" ] || die "cannot determine kernel version of linux-image-amd64"
KERNEL=/boot/vmlinuz-$KVER
MODDIR=/lib/modules/$KVER
[ -f "$KERNEL" ] || die "missing $KERNEL"
[ -d "$MODDIR" ] || die "missing $MODDIR"
[ -f "$MODDIR/modules.dep" ] || depmod "$KVER"
log "kernel $KVER"

WORK=$OUTDIR/.build
rm -rf "$WORK"
mkdir -p "$WORK"

# --------------------------------------------------------------- initramfs --
ROOT=$WORK/rootfs
log "assembling initramfs in $ROOT"
mkdir -p "$ROOT"/{bin,sbin,usr/bin,usr/sbin,etc/acpi/PWRF,proc,sys,dev,run,tmp,var/run,lib/modules}
chmod 1777 "$ROOT/tmp"
cp /bin/busybox "$ROOT/bin/busybox"
# One symlink per applet, at the path busybox expects.
while read -r applet; do
    [ "$applet" = bin/busybox ] && continue
    mkdir -p "$ROOT/$(dirname "$applet")"
    ln -sf /bin/busybox "$ROOT/$applet"
done < <(/bin/busybox --list-full)
# iperf3 (the NIC throughput benchmark's guest end) with the shared libraries it loads, at their own paths.
for f in /usr/bin/iperf3 $(ldd /usr/bin/iperf3 | grep -o '/[^ ]*'); do
    mkdir -p "$ROOT/$(dirname "$f")"
    cp -L "$f" "$ROOT/$f"
done
mknod -m 600 "$ROOT/dev/console" c 5 1
mknod -m 666 "$ROOT/dev/null" c 1 3

# Modules: flat directory + load order file (busybox insmod, no modules.dep needed).
: > "$ROOT/lib/modules/load-order"
declare -A seen=()
for m in $MODULES; do
    while read -r kind path _; do
        case $kind in
            builtin) continue ;;
            insmod) ;;
            *) die "unexpected modprobe output for $m: $kind $path" ;;
        esac
        [ -n "${seen[$path]:-}" ] && continue
        seen[$path]=1
        name=$(basename "$path")
        case $name in
            *.ko.xz)  xz -dc "$path" > "$ROOT/lib/modules/${name%.xz}"; name=${name%.xz} ;;
            *.ko.zst) zstd -qdc "$path" > "$ROOT/lib/modules/${name%.zst}"; name=${name%.zst} ;;
            *.ko.gz)  gzip -dc "$path" > "$ROOT/lib/modules/${name%.gz}"; name=${name%.gz} ;;
            *.ko)     cp "$path" "$ROOT/lib/modules/$name" ;;
            *) die "unknown module file $path" ;;
        esac
        echo "$name" >> "$ROOT/lib/modules/load-order"
    done < <(modprobe -S "$KVER" --show-depends "$m" 2>/dev/null || die "module $m not found for $KVER")
done
log "modules: $(tr '\n' ' ' < "$ROOT/lib/modules/load-order")"

# ACPI power button -> immediate poweroff (busybox acpid runs /etc/acpi/PWRF/00000080).
cat > "$ROOT/etc/acpi/PWRF/00000080" <<'EOF'
#!/bin/sh
echo "KVMGUEST-POWEROFF" > /dev/console
sync
poweroff -f
EOF
chmod 755 "$ROOT/etc/acpi/PWRF/00000080"

# udhcpc hook: configure address/route/DNS, report the first lease on the console.
cat > "$ROOT/etc/udhcpc.script" <<'EOF'
#!/bin/sh
# busybox udhcpc hook. Env: interface ip mask subnet router dns broadcast
PATH=/bin:/sbin:/usr/bin:/usr/sbin
STATE=/run/kvg
case "$1" in
    deconfig)
        ip -4 addr flush dev "$interface" 2>/dev/null
        ip link set "$interface" up
        ;;
    bound|renew)
        prefix=${mask:-24}
        if ! ip -4 addr show dev "$interface" | grep -q "inet $ip/$prefix "; then
            ip -4 addr flush dev "$interface"
            ip addr add "$ip/$prefix" ${broadcast:+broadcast "$broadcast"} dev "$interface"
        fi
        if [ -n "$router" ]; then
            gw=${router%% *}
            # one default route per interface; metric keeps them apart with several NICs
            ip route replace default via "$gw" dev "$interface" metric "$(cat /sys/class/net/$interface/ifindex)"
        fi
        if [ -n "$dns" ]; then
            : > /etc/resolv.conf.new
            for d in $dns; do echo "nameserver $d" >> /etc/resolv.conf.new; done
            mv /etc/resolv.conf.new /etc/resolv.conf
        fi
        echo "$ip" > "$STATE/$interface.ip"
        # One line per interface: the first outcome wins (mkdir is atomic against the
        # NOLEASE timer in /init). A lease that arrives after NOLEASE is still reported.
        if [ "$1" = bound ]; then
            if mkdir "$STATE/$interface.reported" 2>/dev/null; then
                /etc/kvg-report READY "$interface"
            elif [ -e "$STATE/$interface.nolease" ] && mkdir "$STATE/$interface.late" 2>/dev/null; then
                /etc/kvg-report READY "$interface"
            fi
        fi
        ;;
esac
exit 0
EOF
chmod 755 "$ROOT/etc/udhcpc.script"

# Prints the serial-line contract: kvg-report READY|NOLEASE IFACE
cat > "$ROOT/etc/kvg-report" <<'EOF'
#!/bin/sh
drv=$(basename "$(readlink /sys/class/net/$2/device/driver)")
mac=$(cat /sys/class/net/$2/address)
case "$1" in
    READY)   line="KVMGUEST-READY iface=$2 driver=$drv mac=$mac ip=$(cat /run/kvg/$2.ip)" ;;
    NOLEASE) line="KVMGUEST-NOLEASE iface=$2 driver=$drv mac=$mac" ;;
esac
# a single write() so the line stays in one piece
echo "$line" > /dev/console
EOF
chmod 755 "$ROOT/etc/kvg-report"

# /init (PID 1)
cat > "$ROOT/init" <<EOF
#!/bin/sh
LEASE_TIMEOUT=$LEASE_TIMEOUT
EOF
cat >> "$ROOT/init" <<'EOF'
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
# leading newline: firmware/terminal escape sequences may precede us on the same line
printf '\nKVMGUEST-BOOTED\n'
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/kvg /dev/pts
hostname kvmguest
ip link set lo up

for m in $(cat /lib/modules/load-order); do
    insmod /lib/modules/$m 2>/dev/null
done
# keep the kernel quiet on the console from here on
echo 1 > /proc/sys/kernel/printk

# ACPI power button (evdev + /proc/acpi/event) -> /etc/acpi/PWRF/00000080
acpid -l /run/acpid.log -p /run/acpid.pid

# Throughput measurements (iperf3 -c <guest>; -R for guest -> host) find a server here, listening
# before any lease is reported.
iperf3 -s -D --logfile /run/iperf3.log

# wait (bounded) for NICs to show up
i=0
while [ $i -lt 30 ] && ! ls /sys/class/net | grep -q '^eth'; do
    sleep 0.1; i=$((i + 1))
done

ifaces=$(ls /sys/class/net | grep '^eth')
for ifc in $ifaces; do
    ip link set "$ifc" up
    # udhcpc keeps running in the background (renewals, late leases)
    udhcpc -f -i "$ifc" -s /etc/udhcpc.script -t 4 -T 2 -A 3 -p /run/udhcpc.$ifc.pid \
        >/run/udhcpc.$ifc.log 2>&1 &
done

# NOLEASE for every interface that has no lease after LEASE_TIMEOUT seconds
if [ -n "$ifaces" ]; then
    end=$(( $(cut -d. -f1 /proc/uptime) + LEASE_TIMEOUT ))
    while :; do
        pending=0
        for ifc in $ifaces; do [ -e /run/kvg/$ifc.reported ] || pending=1; done
        [ $pending = 0 ] && break
        if [ "$(cut -d. -f1 /proc/uptime)" -ge $end ]; then
            for ifc in $ifaces; do
                if mkdir /run/kvg/$ifc.reported 2>/dev/null; then
                    touch /run/kvg/$ifc.nolease
                    /etc/kvg-report NOLEASE "$ifc"
                    # close the race with a lease bound right at the deadline
                    if [ -s /run/kvg/$ifc.ip ] && mkdir /run/kvg/$ifc.late 2>/dev/null; then
                        /etc/kvg-report READY "$ifc"
                    fi
                fi
            done
            break
        fi
        sleep 0.2
    done
else
    echo "KVMGUEST-NOIFACE"
fi

# Peer discovery, proof of guest-to-guest traffic on a bridge: answer broadcast pings, ping the
# subnet's broadcast address every 2 s, and print every other guest that answers once:
#   KVMGUEST-PEER iface=eth0 ip=<peer ipv4>
# (Hosts ignore broadcast pings by default, so only other kvmguest test guests answer.)
echo 0 > /proc/sys/net/ipv4/icmp_echo_ignore_broadcasts
( while :; do
    for ifc in $ifaces; do
        [ -s /run/kvg/$ifc.ip ] || continue
        own=$(cat /run/kvg/$ifc.ip)
        bcast=$(ip -4 addr show dev "$ifc" | sed -n 's/.* brd \([0-9.]*\) .*/\1/p' | head -n 1)
        [ -n "$bcast" ] || continue
        for peer in $(ping -c 2 -w 2 "$bcast" 2>/dev/null | sed -n 's/.* bytes from \([0-9.]*\):.*/\1/p' | sort -u); do
            [ "$peer" = "$own" ] && continue
            mkdir /run/kvg/peer-$ifc-$peer 2>/dev/null && echo "KVMGUEST-PEER iface=$ifc ip=$peer" > /dev/console
        done
    done
    sleep 2
done ) &

# kvg.shell on the kernel command line: interactive shell on the serial console
if grep -qw kvg.shell /proc/cmdline; then
    while :; do setsid cttyhack sh -l; sleep 1; done
fi
# stay up; PID 1 must never exit (the shell reaps orphans while it waits)
while :; do sleep 3600; done
EOF
chmod 755 "$ROOT/init"

log "packing initramfs"
(cd "$ROOT" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -9 -n > "$WORK/initrd.gz"
cp "$KERNEL" "$WORK/vmlinuz"

# ---------------------------------------------------------------------- ISO --
log "building ISO"
ISODIR=$WORK/iso
mkdir -p "$ISODIR/isolinux" "$ISODIR/boot"
cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$ISODIR/isolinux/"
cp "$WORK/vmlinuz" "$WORK/initrd.gz" "$ISODIR/boot/"
syslinux_cfg() {
    # TIMEOUT is in 1/10 s; PROMPT 0 = boot DEFAULT without showing a prompt.
    cat <<EOF
SERIAL 0 115200
DEFAULT kvmguest
PROMPT 0
TIMEOUT 1
LABEL kvmguest
  KERNEL /boot/vmlinuz
  APPEND initrd=/boot/initrd.gz $CMDLINE
EOF
}
syslinux_cfg > "$ISODIR/isolinux/isolinux.cfg"
xorriso -as mkisofs -quiet -o "$WORK/tiny-guest.iso" -V KVMGUEST -J -r \
    -isohybrid-mbr /usr/lib/ISOLINUX/isohdpfx.bin \
    -b isolinux/isolinux.bin -c isolinux/boot.cat \
    -no-emul-boot -boot-load-size 4 -boot-info-table \
    "$ISODIR" > "$WORK/xorriso.log" 2>&1 || { cat "$WORK/xorriso.log" >&2; die "xorriso failed"; }

# --------------------------------------------------------------- raw disk --
# MBR (syslinux mbr.bin + one active partition at 1 MiB) + FAT16 + syslinux,
# all with plain file I/O and mtools: no loop devices, no mounts.
log "building raw disk"
export MTOOLS_SKIP_CHECK=1
PART_OFF_SECT=2048
content_kib=$(( ( $(stat -c %s "$WORK/vmlinuz") + $(stat -c %s "$WORK/initrd.gz") ) / 1024 ))
part_mib=$(( content_kib / 1024 + 4 ))
[ $part_mib -lt 16 ] && part_mib=16
part_sect=$(( part_mib * 2048 ))
# FAT16 needs 4085..65524 clusters: pick the smallest cluster that fits.
spc=1
while [ $(( part_sect / spc )) -gt 65000 ]; do spc=$(( spc * 2 )); done
PART=$WORK/part.img
rm -f "$PART"
truncate -s $(( part_sect * 512 )) "$PART"
mformat -i "$PART" -T $part_sect -h 64 -s 32 -H $PART_OFF_SECT -c $spc -v KVMGUEST ::
minfo -i "$PART" :: | grep -q 'disk type="FAT16' || die "mformat did not produce FAT16: $(minfo -i "$PART" :: | grep 'disk type')"
syslinux --install "$PART"
mmd -i "$PART" ::/boot
mcopy -i "$PART" "$WORK/vmlinuz" ::/boot/vmlinuz
mcopy -i "$PART" "$WORK/initrd.gz" ::/boot/initrd.gz
syslinux_cfg > "$WORK/syslinux.cfg"
mcopy -i "$PART" "$WORK/syslinux.cfg" ::/syslinux.cfg
# ldlinux.c32 must sit next to the config / ldlinux.sys; installer usually writes it too
mcopy -o -i "$PART" /usr/lib/syslinux/modules/bios/ldlinux.c32 ::/ldlinux.c32

DISK=$WORK/tiny-guest.raw
rm -f "$DISK"
truncate -s $(( (PART_OFF_SECT + part_sect) * 512 )) "$DISK"
dd if=/usr/lib/syslinux/mbr/mbr.bin of="$DISK" bs=440 count=1 conv=notrunc status=none
le32() { printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(( $1 & 255 )) $(( ($1 >> 8) & 255 )) $(( ($1 >> 16) & 255 )) $(( ($1 >> 24) & 255 )); }
{
    printf '\x4b\x56\x4d\x47\x00\x00'          # disk signature "KVMG" + 2 reserved bytes (offset 440)
    # partition 1: active, CHS fields = LBA-only marker, type 0x0e (FAT16 LBA)
    printf '\x80\xfe\xff\xff\x0e\xfe\xff\xff'
    # shellcheck disable=SC2059
    printf "$(le32 $PART_OFF_SECT)$(le32 $part_sect)"
    head -c 48 /dev/zero                       # partitions 2-4 empty
    printf '\x55\xaa'
} | dd of="$DISK" bs=1 seek=440 conv=notrunc status=none
dd if="$PART" of="$DISK" bs=1M seek=1 conv=notrunc,sparse status=none

# ---------------------------------------------------------------- publish --
for f in vmlinuz initrd.gz tiny-guest.iso tiny-guest.raw; do
    mv -f "$WORK/$f" "$OUTDIR/$f.tmp"
    mv -f "$OUTDIR/$f.tmp" "$OUTDIR/$f"
done
echo "$CMDLINE" > "$OUTDIR/cmdline"
echo "$PARAMS" > "$OUTDIR/.build-params"
rm -rf "$WORK"
log "done: $(cd "$OUTDIR" && ls -ln tiny-guest.iso tiny-guest.raw vmlinuz initrd.gz | awk '{printf "%s=%dKiB ", $NF, $5/1024}')"
