namespace Lading.Bootstrap;

/// <summary>
/// How a package's files, OS repositories and images join the site's data folder, as bash functions shared by the
/// scripts that merge: offline-resources' install.sh and the Kubespray package's load.sh. A file already on the site
/// is never overwritten; one with other content stops the merge before anything is added.
/// </summary>
public static class SiteMerge
{
    /// <summary>
    /// merge_check &lt;from&gt; &lt;into&gt; adds to $conflicts every file of &lt;into&gt; that &lt;from&gt; holds with other
    /// content (registry blobs are named by their digest, so they are not compared); merge_add &lt;from&gt; &lt;into&gt;
    /// hard-links (or copies) what &lt;into&gt; lacks, tags last so the registry never serves a tag before what it
    /// names, and counts them in $added.
    /// </summary>
    public static string Functions() => """
        conflicts=()
        added=0

        merge_check() {
          local from="$1" into="$2" file target
          [ -d "$from" ] || return 0
          while IFS= read -r -d '' file; do
            target="$into/${file#"$from"/}"
            if [ -e "$target" ] && ! [ "$file" -ef "$target" ]; then
              case "$target" in */docker/registry/v2/blobs/*) continue ;; esac
              cmp -s "$file" "$target" || conflicts+=("$target")
            fi
          done < <(find "$from" -type f -print0)
        }

        merge_add() {
          local from="$1" into="$2" file target
          mkdir -p "$into"
          [ -d "$from" ] || return 0
          while IFS= read -r -d '' file; do
            target="$into/${file#"$from"/}"
            [ -e "$target" ] && continue
            mkdir -p "$(dirname "$target")"
            ln "$file" "$target.partial" 2>/dev/null || cp -p "$file" "$target.partial"
            mv -f "$target.partial" "$target"
            added=$((added + 1))
          done < <(find "$from" -type f ! -path '*/_manifests/tags/*' -print0; find "$from" -type f -path '*/_manifests/tags/*' -print0)
        }

        """.Replace("\r\n", "\n");
}
