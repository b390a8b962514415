#!/usr/bin/env bash
# deploy-addon.sh <chart.tgz> <release> <namespace>: installs or upgrades one addon.
set -euo pipefail
helm upgrade --install "$2" "$1" --namespace "$3" --create-namespace --wait
