# Sourced by build.sh and tests/run.sh: puts a .NET SDK that satisfies global.json on PATH,
# installing the pinned one under .dotnet/ when none is found (as Cake's bootstrappers do).
lading_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

lading_sdk_ok() {
  command -v dotnet >/dev/null 2>&1 && (cd "$lading_root" && dotnet --version >/dev/null 2>&1)
}

if [ -x "$lading_root/.dotnet/dotnet" ]; then
  export DOTNET_ROOT="$lading_root/.dotnet" PATH="$lading_root/.dotnet:$PATH"
fi

if ! lading_sdk_ok; then
  channel="$(sed -n 's/.*"version": *"\([0-9]*\.[0-9]*\)\..*/\1/p' "$lading_root/global.json")"
  echo "No .NET SDK matching global.json; installing .NET $channel under .dotnet/" >&2
  installer="$(mktemp)"
  if ! curl -fsSL https://dot.net/v1/dotnet-install.sh -o "$installer"; then
    echo "Could not download the .NET installer. Install the .NET $channel SDK (https://dotnet.microsoft.com/download) and run again." >&2
    exit 1
  fi
  bash "$installer" --channel "$channel" --install-dir "$lading_root/.dotnet" --no-path >&2
  rm -f "$installer"
  export DOTNET_ROOT="$lading_root/.dotnet" PATH="$lading_root/.dotnet:$PATH"
fi
