namespace Lading.Packaging;

/// <summary>The scripts a package carries to the site.</summary>
public static class PackageScripts
{
    public const string LoadImages = "load-images.sh";

    /// <summary>
    /// Merges the package's registry tree into the site registry's storage folder. Blobs and manifests are
    /// content-addressed, so they are only added, never overwritten; a tag that names another image is moved to this
    /// package's, after its bytes are in place. Lists the images it added or changed, and only those.
    /// </summary>
    public static string LoadImagesScript() => """
        #!/usr/bin/env bash
        # load-images.sh <registry storage folder>: adds this package's images to a registry's storage
        # (the folder its config names as storage.filesystem.rootdirectory). Blobs and manifests there are never
        # overwritten; a tag naming another image is moved to this package's image.
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
        new_images=()
        moved_images=()
        place() {
          mkdir -p "$(dirname "$2")"
          cp --preserve=mode "$1" "$2.loading"
          mv -f "$2.loading" "$2"
        }
        image_of() {
          sed -E 's#^docker/registry/v2/repositories/(.*)/_manifests/tags/([^/]+)/current/link$#\1:\2#' <<<"$1"
        }
        # Blobs and manifests first, tags last: a tag never names an image whose bytes are not there yet.
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
        done < <(find "$tree" -type f ! -path '*/_manifests/tags/*' -print0)
        while IFS= read -r -d '' file; do
          relative="${file#"$tree"/}"
          target="$storage/$relative"
          if [ -e "$target" ] && cmp -s "$file" "$target"; then
            kept=$((kept + 1))
            continue
          fi
          case "$relative" in
            */_manifests/tags/*/current/link)
              if [ -e "$target" ]; then moved_images+=("$(image_of "$relative")"); else new_images+=("$(image_of "$relative")"); fi
              ;;
          esac
          place "$file" "$target"
          added=$((added + 1))
        done < <(find "$tree" -type f -path '*/_manifests/tags/*' -print0)
        echo "load-images.sh: added $added file(s), kept $kept already there"
        if [ "${#new_images[@]}" -eq 0 ] && [ "${#moved_images[@]}" -eq 0 ]; then
          echo "no image added or changed: the registry already had every one"
        fi
        if [ "${#new_images[@]}" -gt 0 ]; then
          echo "images added:"
          printf '  %s\n' "${new_images[@]}" | sort
        fi
        if [ "${#moved_images[@]}" -gt 0 ]; then
          echo "images changed (the tag now names this package's image):"
          printf '  %s\n' "${moved_images[@]}" | sort
        fi
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
