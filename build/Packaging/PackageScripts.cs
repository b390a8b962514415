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
          # A hotfix whose images the base release already delivered carries none: nothing to do is no failure.
          echo "load-images.sh: this package carries no images; nothing to load"
          exit 0
        fi
        mkdir -p "$storage"
        # The files the storage lacks are copied whole to a folder on its own disk, then hard-linked into place: a link
        # appears complete or not at all, and a few processes do it however many files a tree holds.
        staging="$storage/.loading-$$"
        list="$staging.files"
        trap 'rm -rf "$staging" "$list"' EXIT
        mkdir -p "$staging"
        added=0
        kept=0
        while IFS= read -r -d '' file; do
          relative="${file#"$tree"/}"
          if [ -e "$storage/$relative" ]; then
            kept=$((kept + 1))
          else
            printf '%s\0' "$relative"
            added=$((added + 1))
          fi
        done < <(find "$tree" -type f -print0) >"$list"
        if [ "$added" -gt 0 ]; then
          (cd "$tree" && xargs -0 cp --parents --preserve=mode -t "$staging" <"$list")
          cp -R --link --no-clobber "$staging/." "$storage/"
        fi
        echo "load-images.sh: added $added file(s), kept $kept already there"
        echo "images added or updated:"
        find "$tree/docker/registry/v2/repositories" -path '*/_manifests/tags/*/current/link' -print \
          | sed -E "s#^$tree/docker/registry/v2/repositories/(.*)/_manifests/tags/([^/]+)/current/link#  \1:\2#" | sort
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
