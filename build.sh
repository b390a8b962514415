#!/usr/bin/env bash
# Lading: ./build.sh [--target=<Target>] [--recipe=recipes/<file>.yaml] [--name=value ...]
# Builds the host once (again only when its sources change), then runs it with every argument.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$root/build/dotnet-sdk.sh"

host="$root/.lading/host"
mkdir -p "$host"
inputs() {
  (cd "$root" && find build -type f \( -name '*.cs' -o -name '*.csproj' \) -not -path '*/bin/*' -not -path '*/obj/*' | LC_ALL=C sort \
     && echo global.json Directory.Build.props Directory.Build.targets) \
    | (cd "$root" && xargs sha256sum) | sha256sum | cut -d' ' -f1
}

# One build at a time per checkout: two Jenkins executors may share a workspace.
exec 9>"$host.lock"
flock 9
stamp="$(inputs)"
if [ ! -f "$host/Lading.dll" ] || [ "$(cat "$host/.stamp" 2>/dev/null)" != "$stamp" ]; then
  echo "Building the Lading host..." >&2
  rm -f "$host/.stamp"
  # Quiet unless it fails: then the whole compiler output is shown.
  if ! dotnet build "$root/build/Lading.csproj" --configuration Release --output "$host" --nologo --verbosity quiet > "$host.log" 2>&1; then
    cat "$host.log" >&2
    exit 1
  fi
  echo "$stamp" > "$host/.stamp"
fi
flock -u 9

exec dotnet "$host/Lading.dll" "$@"
