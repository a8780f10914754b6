#!/usr/bin/env bash
# Makes a Debian bookworm base image without a registry: mmdebstrap builds a minimal rootfs from
# the Debian mirror apt already uses here, and the engine imports it as IMAGE (default
# localhost/kvmguest/debian-base:bookworm). Does nothing when IMAGE exists.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/container-engine.sh

IMAGE=${1:-localhost/kvmguest/debian-base:bookworm}
if $ENGINE image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "base image $IMAGE is present"
  exit 0
fi
command -v mmdebstrap >/dev/null 2>&1 || { echo "mmdebstrap is missing: apt-get install mmdebstrap" >&2; exit 1; }

# The sources apt uses on this machine (deb822 or one-line), so the image reaches the same mirror.
MIRROR=http://deb.debian.org/debian
for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
  if [ -s "$f" ] && grep -q '^[^#]*deb' "$f"; then MIRROR=$f; break; fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "making $IMAGE with mmdebstrap (bookworm, minbase) from $MIRROR"
# Like debian:bookworm-slim: no docs, man pages or translations, no recommended packages. The dpkg
# and apt options stay in the image, so what the Containerfile installs is as lean.
mmdebstrap --variant=minbase --quiet \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' --aptopt='APT::Install-Recommends "false"' \
  bookworm "$work/rootfs.tar" "$MIRROR"
$ENGINE import "$work/rootfs.tar" "$IMAGE" >/dev/null
echo "imported $IMAGE"
