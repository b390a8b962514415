#!/usr/bin/env bash
# deploy-addon.sh <chart.tgz> <release> <namespace>: installs or upgrades one addon, its images from the site registry.
set -euo pipefail
helm upgrade --install "$2" "$1" --namespace "$3" --create-namespace \
  --set-string "global.imageRegistry=${REGISTRY_DOMAIN:?the site registry (host[:port])}" --wait
