namespace Lading.Packaging;

/// <summary>The scripts a package carries to the site.</summary>
public static class PackageScripts
{
    public const string LoadImages = "load-images.sh";

    /// <summary>
    /// Merges the package's registry tree into the site registry's storage folder. The tree is content-addressed,
    /// so merging only adds files: an existing blob or link is never overwritten.
    /// </summary>
    public static string LoadImagesScript() => """
        #!/usr/bin/env bash
        # load-images.sh <registry storage folder>: adds this package's images to a registry's storage
        # (the folder its config names as storage.filesystem.rootdirectory). Nothing there is overwritten.
        set -euo pipefail
        here="$(cd "$(dirname "$0")" && pwd)"
        storage="${1:?usage: load-images.sh <registry storage folder, e.g. /var/lib/registry>}"
        tree="$here/images/registry"
        if [ ! -d "$tree/docker/registry/v2" ]; then
          echo "load-images.sh: this package carries no registry tree ($tree)" >&2
          exit 1
        fi
        mkdir -p "$storage"
        added=0
        kept=0
        while IFS= read -r -d '' file; do
          target="$storage/${file#"$tree"/}"
          if [ -e "$target" ]; then
            kept=$((kept + 1))
            continue
          fi
          mkdir -p "$(dirname "$target")"
          cp --preserve=mode "$file" "$target.loading"
          mv -n "$target.loading" "$target"
          rm -f "$target.loading"
          added=$((added + 1))
        done < <(find "$tree" -type f -print0)
        echo "load-images.sh: added $added file(s), kept $kept already there"
        echo "images added or updated:"
        find "$tree/docker/registry/v2/repositories" -path '*/_manifests/tags/*/current/link' -print \
          | sed -E "s#^$tree/docker/registry/v2/repositories/(.*)/_manifests/tags/([^/]+)/current/link#  \1:\2#" | sort
        """.Replace("\r\n", "\n") + "\n";

    /// <summary>
    /// A hotfix installs only on the release it was built for: the platform version the cluster records
    /// (configmap platform-version in kube-system, key version) must equal the base version.
    /// </summary>
    public static string HotfixGuard(string baseVersion, string version) => $$"""
        #!/usr/bin/env bash
        # Hotfix {{version}} for platform {{baseVersion}}: refuses any other installed version.
        set -euo pipefail
        here="$(cd "$(dirname "$0")" && pwd)"
        base="{{baseVersion}}"
        installed="$(kubectl get configmap platform-version --namespace kube-system --output 'jsonpath={.data.version}' 2>/dev/null || true)"
        if [ "$installed" != "$base" ]; then
          echo "This hotfix ({{version}}) installs only on platform $base; the cluster records '${installed:-no version}'." >&2
          exit 1
        fi
        if [ -x "$here/install-charts.sh" ]; then
          exec "$here/install-charts.sh" "$@"
        fi
        echo "Platform $base: applying hotfix {{version}}"
        """.Replace("\r\n", "\n") + "\n";
}
