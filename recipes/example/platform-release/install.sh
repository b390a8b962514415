#!/usr/bin/env bash
# The example platform's own installer: deploys every addon version.yml enables, in its order.
# Its package keeps it as install-charts.sh and runs it from the install.sh Lading writes, after the package and the
# cluster are checked and the images loaded, with PACKAGE_DIR, ADDONS_FILE (addons.tsv: name, version, namespace,
# enable and chart of each addon, tab-separated) and REGISTRY_DOMAIN (the site registry) set.
set -euo pipefail
here="${PACKAGE_DIR:-$(cd "$(dirname "$0")" && pwd)}"
while IFS=$'\t' read -r name version namespace enable chart; do
  case "$name" in '' | '#'*) continue ;; esac
  [ "$enable" = true ] || continue
  if ! bash "$here/scripts/deploy-addon.sh" "$here/$chart" "$name" "$namespace"; then
    echo "install-charts.sh: addon $name $version failed" >&2
    exit 1
  fi
done <"${ADDONS_FILE:-$here/addons.tsv}"
