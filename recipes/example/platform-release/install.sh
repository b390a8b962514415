#!/usr/bin/env bash
# Installs the example platform from this package: loads images, then deploys every enabled addon.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/load-images.sh" "${REGISTRY_STORAGE:-/var/lib/registry}"
for chart in "$here"/charts/*.tgz; do
  name="$(basename "$chart" | sed -E 's/-v?[0-9].*\.tgz$//')"
  "$here/scripts/deploy-addon.sh" "$chart" "$name" "${NAMESPACE:-default}"
done
