#!/usr/bin/env bash
# Builds the operator and node-agent images from the Maven jars (`make images` builds the jars
# first). Tags: $IMAGE_REGISTRY/kvmguest/{operator,node-agent}:$VERSION (default localhost and
# the project version), which is what the Helm chart pulls by default.
# BASE_IMAGE picks the Debian bookworm base; without it, debian:bookworm-slim is used when the
# engine has it or can pull it, and otherwise a local base is made with mmdebstrap.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/container-engine.sh

VERSION=${VERSION:-$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)}
VERSION=${VERSION%-SNAPSHOT}
REGISTRY=${IMAGE_REGISTRY:-localhost}

if [ -z "${BASE_IMAGE:-}" ]; then
  BASE_IMAGE=docker.io/library/debian:bookworm-slim
  if ! $ENGINE image inspect "$BASE_IMAGE" >/dev/null 2>&1 && ! timeout 60 $ENGINE pull -q "$BASE_IMAGE" >/dev/null 2>&1; then
    BASE_IMAGE=localhost/kvmguest/debian-base:bookworm
    echo "no registry serves debian:bookworm-slim here; using a local base image"
    scripts/make-base-image.sh "$BASE_IMAGE"
  fi
fi

revision=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
created=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# A context of just the Containerfile and the jars keeps the build fast and reproducible.
context=target/images
rm -rf "$context" && mkdir -p "$context"
cp images/Containerfile "$context/"
for component in operator node-agent; do
  jar=$component/target/kvmguest-$component.jar
  [ -f "$jar" ] || { echo "$jar is missing: run ./mvnw -DskipTests package (or make images)" >&2; exit 1; }
  cp "$jar" "$context/"
done
for component in operator node-agent; do
  tag=$REGISTRY/kvmguest/$component:$VERSION
  echo "building $tag from $BASE_IMAGE"
  $ENGINE build --quiet --network host --target "$component" --build-arg "BASE_IMAGE=$BASE_IMAGE" \
    --build-arg "VERSION=$VERSION" --build-arg "REVISION=$revision" --build-arg "CREATED=$created" \
    -t "$tag" -f "$context/Containerfile" "$context" >/dev/null
  echo "built $tag ($($ENGINE image inspect --format '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
done
