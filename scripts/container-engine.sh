# Sourced by the image scripts: sets ENGINE to podman, or to docker where it is the only engine
# that answers (a docker client without a daemon does not count).
if command -v podman >/dev/null 2>&1; then
  ENGINE=podman
elif command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  ENGINE=docker
else
  echo "no container engine: install podman (apt-get install podman runc) or run a docker daemon" >&2
  exit 1
fi
