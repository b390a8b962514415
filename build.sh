#!/usr/bin/env bash
# Lading: ./build.sh [--target=<Target>] [--recipe=recipes/<file>.yaml] [--name=value ...]
# Builds the host once (again only when its sources change), then runs it with every argument.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

host="$root/.lading/host"
mkdir -p "$host"
inputs() {
  (cd "$root" && find build \( -name bin -o -name obj \) -prune -o -type f \( -name '*.cs' -o -name '*.csproj' \) -print | LC_ALL=C sort \
     && echo global.json Directory.Build.props Directory.Build.targets) \
    | (cd "$root" && xargs sha256sum) | sha256sum | cut -d' ' -f1
}

# Running the built host needs only the runtime: the SDK is looked for (and installed) when the host is built.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if [ -x "$root/.dotnet/dotnet" ]; then
  export DOTNET_ROOT="$root/.dotnet" PATH="$root/.dotnet:$PATH"
fi

# One build at a time per checkout: two Jenkins executors may share a workspace.
exec 9>"$host.lock"
flock 9
stamp="$(inputs)"
if [ ! -f "$host/Lading.dll" ] || [ "$(cat "$host/.stamp" 2>/dev/null)" != "$stamp" ]; then
  echo "Building the Lading host..." >&2
  source "$root/build/dotnet-sdk.sh"
  rm -f "$host/.stamp"
  # ReadyToRun for this machine where .NET offers it: a build then starts without JIT-compiling the host first.
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) rid=linux-x64 ;;
    Linux-aarch64 | Linux-arm64) rid=linux-arm64 ;;
    Darwin-arm64) rid=osx-arm64 ;;
    Darwin-x86_64) rid=osx-x64 ;;
    *) rid= ;;
  esac
  if [ -n "$rid" ]; then
    compile=(publish --runtime "$rid" --self-contained false -p:PublishReadyToRun=true)
  else
    compile=(build)
  fi
  # Quiet unless it fails: then the whole compiler output is shown.
  if ! dotnet "${compile[@]}" "$root/build/Lading.csproj" --configuration Release --output "$host" --nologo --verbosity quiet > "$host.log" 2>&1; then
    cat "$host.log" >&2
    exit 1
  fi
  echo "$stamp" > "$host/.stamp"
fi
flock -u 9

exec dotnet "$host/Lading.dll" "$@"
