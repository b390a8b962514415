#!/usr/bin/env bash
# The test command: installs what the tests need (when missing), then runs every test.
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Recipes").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/build/dotnet-sdk.sh"
"$root/tests/install-tools.sh"

results="$root/tests/results"
rm -rf "$results"
dotnet test "$root/Lading.slnx" --nologo \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
  --results-directory "$results" "$@"
