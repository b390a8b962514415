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
          # A hotfix whose images the base release already delivered carries none: nothing to do is no failure.
          echo "load-images.sh: this package carries no images; nothing to load"
          exit 0
        fi
        mkdir -p "$storage"
        # The blobs and manifests the storage lacks are copied whole to a folder on its own disk, then hard-linked into
        # place: a link appears complete or not at all, and a few processes do it however many files a tree holds.
        staging="$storage/.loading-$$"
        list="$staging.files"
        trap 'rm -rf "$staging" "$list"' EXIT
        mkdir -p "$staging"
        added=0
        kept=0
        new_images=()
        moved_images=()
        image_of() {
          sed -E 's#^docker/registry/v2/repositories/(.*)/_manifests/tags/([^/]+)/current/link$#\1:\2#' <<<"$1"
        }
        while IFS= read -r -d '' file; do
          relative="${file#"$tree"/}"
          if [ -e "$storage/$relative" ]; then
            kept=$((kept + 1))
          else
            printf '%s\0' "$relative"
            added=$((added + 1))
          fi
        done < <(find "$tree" -type f ! -path '*/_manifests/tags/*' -print0) >"$list"
        if [ -s "$list" ]; then
          (cd "$tree" && xargs -0 cp --parents --preserve=mode -t "$staging" <"$list")
          cp -R --link --no-clobber "$staging/." "$storage/"
        fi
        # Tags last: a tag never names an image whose bytes are not there yet. There is one per image, so one at a time.
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
          mkdir -p "$(dirname "$target")"
          cp --preserve=mode "$file" "$target.loading"
          mv -f "$target.loading" "$target"
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

    /// <summary>Writes a script with the mode a site runs it with (rwxr-xr-x).</summary>
    public static void WriteScript(string path, string text)
    {
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }
    }
}
