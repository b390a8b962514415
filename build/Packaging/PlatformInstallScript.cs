using System.Text;
using Lading.Bootstrap;

namespace Lading.Packaging;

/// <summary>A chart a hotfix removes, with its namespace in the base release's version.yml (the ledger's, when it records one, wins).</summary>
public sealed record DeletedChart(string Name, string Namespace);

/// <summary>
/// install.sh of a platform or hotfix package: the wrapper around the release repo's own installer. It checks before it
/// changes anything (tools, the cluster's ledger, the package's completeness), loads the images, installs the charts
/// (a platform through the release's installer, kept as install-charts.sh; a hotfix itself, by version.yml's namespaces
/// and enable flags), removes the charts a hotfix deletes, then records what it installed: configmap platform-version
/// (the ledger) and, for a platform, configmap system-info. It needs bash 4.4+, coreutils, findutils, sed, kubectl and helm.
/// </summary>
public static class PlatformInstallScript
{
    public const string LedgerName = "platform-version";
    public const string SystemInfoName = "system-info";
    public const string SystemNamespace = "kube-system";

    public static string Render(PackageIdentity identity, string? baseVersion, string? commit, IReadOnlyList<DeletedChart> deletedCharts)
    {
        var kind = identity.Kind switch
        {
            PackageKind.Platform => "platform",
            PackageKind.Hotfix => "hotfix",
            _ => throw new PackageException($"{identity.FullName}: only platform and hotfix packages install charts"),
        };
        if (identity.Kind == PackageKind.Hotfix && string.IsNullOrEmpty(baseVersion))
        {
            throw new PackageException($"{identity.FullName}: a hotfix needs the base version it installs on");
        }

        var sh = new StringBuilder();
        sh.Append("#!/usr/bin/env bash\n");
        sh.Append($"# install.sh of {identity.FullName}, written by Lading: {kind} {identity.Version}")
            .Append(identity.Kind == PackageKind.Hotfix ? $" for platform {baseVersion}" : string.Empty).Append(".\n");
        sh.Append("# install.sh --help says what it does and which variables it reads; the site guide is in Lading's README.\n");
        sh.Append("set -euo pipefail\n\n");
        sh.Append("# What this package is.\n");
        sh.Append("package_kind=").Append(ShellText.Quote(kind)).Append('\n');
        sh.Append("package_name=").Append(ShellText.Quote(identity.FullName)).Append('\n');
        sh.Append("package_version=").Append(ShellText.Quote(identity.Version)).Append('\n');
        sh.Append("package_base=").Append(ShellText.Quote(identity.Kind == PackageKind.Hotfix ? baseVersion! : string.Empty)).Append('\n');
        sh.Append("package_commit=").Append(ShellText.Quote(commit ?? string.Empty)).Append('\n');
        sh.Append("# The charts this package removes: \"<name> <namespace>\".\n");
        sh.Append("deleted_charts=(").Append(string.Join(' ', deletedCharts.Select(c => ShellText.Quote($"{c.Name} {c.Namespace}")))).Append(")\n");
        sh.Append(Body.Replace("@LEDGER@", LedgerName, StringComparison.Ordinal)
            .Replace("@SYSTEM_INFO@", SystemInfoName, StringComparison.Ordinal)
            .Replace("@SYSTEM_NAMESPACE@", SystemNamespace, StringComparison.Ordinal)
            .Replace("@REGISTRY_VALUE@", PackageVerifier.RegistryValue, StringComparison.Ordinal)
            .Replace("@PLACEHOLDER_REGISTRY@", PackageVerifier.PlaceholderRegistry, StringComparison.Ordinal)
            .Replace("@ADDONS@", PlatformSiteFiles.Addons, StringComparison.Ordinal)
            .Replace("@ORIGINS@", PlatformSiteFiles.ImageOrigins, StringComparison.Ordinal)
            .Replace("@BASE_IMAGES@", PlatformSiteFiles.BaseImages, StringComparison.Ordinal)
            .Replace("@RELEASE_INSTALLER@", PlatformSiteFiles.ReleaseInstaller, StringComparison.Ordinal)
            .Replace("@LOAD_IMAGES@", PackageScripts.LoadImages, StringComparison.Ordinal)
            .Replace("\r\n", "\n", StringComparison.Ordinal));
        return sh.ToString();
    }

    private const string Body = """

        here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
        addons_file="$here/@ADDONS@"
        origins_file="$here/@ORIGINS@"
        base_images_file="$here/@BASE_IMAGES@"
        registry_tree="$here/images/registry"
        repositories="$registry_tree/docker/registry/v2/repositories"
        registry_value='@REGISTRY_VALUE@'
        placeholder_registry='@PLACEHOLDER_REGISTRY@'
        system_namespace='@SYSTEM_NAMESPACE@'
        ledger='@LEDGER@'
        system_info='@SYSTEM_INFO@'

        say() { printf 'install.sh: %s\n' "$*"; }
        fail() {
          printf 'install.sh: %s\n' "$*" >&2
          exit 1
        }

        usage() {
          cat <<EOF
        Usage: install.sh [--check] [--force] [--help]
        Installs $package_kind $package_version ($package_name)${package_base:+ on platform $package_base}: checks the package and
        the cluster first, loads the images, installs the charts, then records what it installed in configmap
        $ledger ($system_namespace). A rerun of the same package changes nothing it recorded.

          --check   renders every chart as it is installed and lists each image neither the package nor (for a hotfix)
                    its base release holds; needs only bash and helm, changes nothing; exits 1 when one is missing
          --force   (hotfix) installs even when the cluster records a version this hotfix does not install on; the
                    ledger says so

        Variables:
          REGISTRY_DOMAIN   the site registry (host[:port]) charts pull from, given to them as $registry_value;
                            default: the registryDomain configmap $system_info records
          REGISTRY_CA       (platform) the registry's CA certificate file, recorded in $system_info
          API_VIP           (platform) the Kubernetes API's virtual IP, recorded in $system_info
          REGISTRY_STORAGE  the site registry's storage folder the images are added to (default /var/lib/registry)
          PACKAGE_SHA256    the package tar's sha256, when $package_name.tar.sha256 is not beside this folder
        EOF
        }

        check_only=0
        force=0
        for argument in "$@"; do
          case "$argument" in
            --check) check_only=1 ;;
            --force) force=1 ;;
            -h | --help)
              usage
              exit 0
              ;;
            *)
              usage >&2
              fail "unknown argument: $argument"
              ;;
          esac
        done
        if [ "$force" -eq 1 ] && [ "$package_kind" != hotfix ]; then
          fail "--force is for hotfixes; a platform package installs on any cluster"
        fi

        # The package's tables: its charts in version.yml order, the image origin mapping, its base release's images.
        [ -f "$addons_file" ] || fail "$addons_file is missing: this package is not complete"
        names=()
        versions=()
        namespaces=()
        enabled=()
        archives=()
        while IFS=$'\t' read -r name version namespace enable archive || [ -n "${name:-}" ]; do
          case "$name" in '' | '#'*) continue ;; esac
          names+=("$name")
          versions+=("$version")
          namespaces+=("$namespace")
          enabled+=("$enable")
          archives+=("$archive")
        done <"$addons_file"
        declare -A origin_dest=()
        if [ -f "$origins_file" ]; then
          while IFS=$'\t' read -r source dest || [ -n "${source:-}" ]; do
            case "$source" in '' | '#'*) continue ;; esac
            origin_dest["$source"]="$dest"
          done <"$origins_file"
        fi
        declare -A base_images=()
        if [ -f "$base_images_file" ]; then
          while IFS= read -r key || [ -n "${key:-}" ]; do
            case "$key" in '' | '#'*) continue ;; esac
            base_images["$key"]=1
          done <"$base_images_file"
        fi

        # Where a registry tree holds an image a chart references, as Lading stored it: an image of the site registry
        # under its path there, a mapped upstream image under its images_origin.yaml dest, any other under its path without
        # the host (docker.io's one-word names under library/). Sets site_repo, site_tag, site_digest, site_name, site_key.
        site_image() {
          local reference="$1" registry="$2" host='' path first last
          site_tag=''
          site_digest=''
          if [[ "$reference" == *@* ]]; then
            site_digest="${reference#*@}"
            reference="${reference%%@*}"
          fi
          path="$reference"
          if [[ "$reference" == */* ]]; then
            first="${reference%%/*}"
            if [[ "$first" == *.* || "$first" == *:* || "$first" == localhost || "$first" =~ [A-Z] ]]; then
              host="$first"
              path="${reference#*/}"
            fi
          fi
          last="${path##*/}"
          if [[ "$last" == *:* ]]; then
            site_tag="${last##*:}"
            path="${path%:*}"
          elif [ -z "$site_digest" ]; then
            site_tag='latest'
          fi
          if [ -n "$host" ] && [ "$host" = "$registry" ]; then
            site_repo="$path"
          else
            case "$host" in
              '' | docker.io | index.docker.io | registry-1.docker.io)
                [[ "$path" == */* ]] || path="library/$path"
                [ -z "$host" ] || host='docker.io'
                ;;
            esac
            site_repo="$path"
            if [ -n "$host" ] && [ -n "${origin_dest["$host/$path"]:-}" ]; then
              site_repo="${origin_dest["$host/$path"]}"
            fi
          fi
          site_name="$site_repo${site_tag:+:$site_tag}${site_digest:+@$site_digest}"
          if [ -n "$site_digest" ]; then
            site_key="$site_repo@$site_digest"
          else
            site_key="$site_repo:$site_tag"
          fi
        }

        # Whether this package's registry tree holds the image site_image found: its tag, or its manifest by digest.
        in_package() {
          if [ -n "$site_digest" ]; then
            [ -f "$repositories/$site_repo/_manifests/revisions/sha256/${site_digest#sha256:}/link" ]
          else
            [ -f "$repositories/$site_repo/_manifests/tags/$site_tag/current/link" ]
          fi
        }

        # Prints "<image><TAB><template>" for each image: field of the manifests helm rendered (stdin), the template named
        # by helm's "# Source:" line; text inside block scalars (files a ConfigMap embeds) is no manifest and is skipped.
        rendered_images() {
          local line source='' block=-1 lead value
          local image_line='^([[:space:]]*)(-[[:space:]]+)*image:[[:space:]]*(.*)$'
          local block_start='^([[:space:]]*)((-[[:space:]]+)*)[^[:space:]#][^#]*:[[:space:]]+[|>][-+0-9]*[[:space:]]*(#.*)?$'
          while IFS= read -r line || [ -n "$line" ]; do
            if [ "$block" -ge 0 ]; then
              lead="${line%%[![:space:]]*}"
              if [ -z "${line//[[:space:]]/}" ] || [ "${#lead}" -gt "$block" ]; then
                continue
              fi
              block=-1
            fi
            if [[ "$line" =~ ^#[[:space:]]*Source:[[:space:]]*(.*)$ ]]; then
              source="${BASH_REMATCH[1]}"
            elif [[ "$line" =~ $image_line ]]; then
              value="${BASH_REMATCH[3]}"
              value="${value%%[[:space:]]#*}"
              value="${value%"${value##*[![:space:]]}"}"
              value="${value#[\"\']}"
              value="${value%[\"\']}"
              if [[ "$value" =~ ^[A-Za-z0-9][A-Za-z0-9._/:@-]*$ ]]; then
                printf '%s\t%s\n' "$value" "$source"
              fi
            elif [[ "$line" =~ $block_start ]]; then
              block=$((${#BASH_REMATCH[1]} + ${#BASH_REMATCH[2]}))
            fi
          done
        }

        # Renders every chart as it is installed (its namespace, the site registry as $registry_value) and prints each image
        # that neither the package nor its base release holds, and each chart helm cannot render. Sets problems.
        check_images() {
          local registry="$1" i manifests image source
          local -A seen=()
          problems=0
          for i in "${!names[@]}"; do
            if ! manifests="$(helm template "${names[$i]}" "$here/${archives[$i]}" --namespace "${namespaces[$i]}" --set-string "$registry_value=$registry" 2>&1)"; then
              printf '  %s: helm cannot render it as it is installed (namespace %s): %s\n' "${names[$i]}" "${namespaces[$i]}" "$(head -n 1 <<<"$manifests")"
              problems=$((problems + 1))
              continue
            fi
            while IFS=$'\t' read -r image source; do
              site_image "$image" "$registry"
              if in_package || [ -n "${base_images[$site_key]:-}" ] || [ -n "${seen["${names[$i]} $site_name"]:-}" ]; then
                continue
              fi
              seen["${names[$i]} $site_name"]=1
              printf '  %s: %s (%s)\n' "${names[$i]}" "$site_name" "${source:-rendered}"
              problems=$((problems + 1))
            done < <(rendered_images <<<"$manifests")
          done
        }

        command -v helm >/dev/null 2>&1 || fail "helm is not on PATH: install.sh needs helm 3"
        holders="the package${package_base:+ or its base release $package_base}"
        if [ "$check_only" -eq 1 ]; then
          registry="${REGISTRY_DOMAIN:-$placeholder_registry}"
          say "checking $package_name: ${#names[@]} chart(s) rendered as they are installed"
          check_images "$registry"
          if [ "$problems" -gt 0 ]; then
            fail "$problems image(s) or chart(s) above are not in $holders: it is not complete (nothing was changed)"
          fi
          say "complete: every image its charts reference is in $holders"
          exit 0
        fi

        command -v kubectl >/dev/null 2>&1 || fail "kubectl is not on PATH: install.sh needs kubectl configured for this cluster"

        # Keys of a configmap in the system namespace, a line each ('' when either is absent; only keys whose values are
        # one line can share a call); stops when the cluster cannot be read.
        configmap_values() {
          local name="$1" template='' key newline='{"\n"}'
          shift
          for key in "$@"; do
            template="$template${template:+$newline}{.data.$key}"
          done
          kubectl get configmap "$name" --namespace "$system_namespace" --ignore-not-found --output "jsonpath=$template" \
            || fail "cannot read configmap $name in $system_namespace: is kubectl configured for this cluster?"
        }

        # Reads only, until every check has passed.
        ledger_fields="$(configmap_values "$ledger" version kind base sha256)"
        {
          read -r installed_version || true
          read -r installed_kind || true
          read -r installed_base || true
          read -r installed_sha256 || true
        } <<<"$ledger_fields"
        installed_charts="$(configmap_values "$ledger" charts)"
        installed_history="$(configmap_values "$ledger" history)"

        registry="${REGISTRY_DOMAIN:-}"
        [ -n "$registry" ] || registry="$(configmap_values "$system_info" registryDomain)"
        [ -n "$registry" ] || fail "REGISTRY_DOMAIN is not set and configmap $system_info records no registryDomain: set REGISTRY_DOMAIN=<site registry host[:port]>"
        api_vip=''
        registry_ca=''
        if [ "$package_kind" = platform ]; then
          api_vip="${API_VIP:-}"
          [ -n "$api_vip" ] || api_vip="$(configmap_values "$system_info" apiVIP)"
          [ -n "$api_vip" ] || fail "API_VIP is not set and configmap $system_info records no apiVIP: set API_VIP=<the Kubernetes API's virtual IP>"
          if [ -n "${REGISTRY_CA:-}" ]; then
            [ -f "$REGISTRY_CA" ] || fail "REGISTRY_CA=$REGISTRY_CA: no such file"
            registry_ca="$(cat "$REGISTRY_CA")"
          else
            registry_ca="$(configmap_values "$system_info" registryCA)"
          fi
        fi

        # At most (sort -V): true when $1 is $2 or an earlier version.
        version_at_most() {
          [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" = "$1" ]
        }

        # A hotfix installs on the version it was built on, or over an earlier hotfix of that same base: built from the
        # base to a later tag, it carries every chart change that one did.
        forced_over=''
        if [ "$package_kind" = hotfix ]; then
          if [ "$installed_version" = "$package_base" ]; then
            :
          elif [ "$installed_kind" = hotfix ] && [ "$installed_base" = "$package_base" ] && version_at_most "$installed_version" "$package_version"; then
            :
          elif [ "$force" -eq 1 ]; then
            forced_over="${installed_version:-none}"
            say "--force: installing over '${installed_version:-no version}', which this hotfix is not built for; the ledger records it"
          else
            fail "This hotfix ($package_version) installs only on platform $package_base or an earlier hotfix of it; the cluster records '${installed_version:-no version}'. Nothing was changed (--force installs it anyway, and the ledger says so)."
          fi
        fi

        package_sha256="${PACKAGE_SHA256:-}"
        if [ -z "$package_sha256" ]; then
          for sidecar in "$here/../$package_name.tar.sha256" "$here/$package_name.tar.sha256"; do
            if [ -f "$sidecar" ]; then
              read -r package_sha256 _ <"$sidecar"
              break
            fi
          done
        fi
        [[ "$package_sha256" =~ ^[0-9a-f]{64}$ ]] || fail "the package's sha256 is unknown: keep $package_name.tar.sha256 beside the unpacked folder, or set PACKAGE_SHA256"

        say "checking $package_name: ${#names[@]} chart(s) rendered as they are installed"
        check_images "$registry"
        [ "$problems" -eq 0 ] || fail "$problems image(s) or chart(s) above are not in $holders: nothing was changed"

        say "installing $package_kind $package_version (sha256 ${package_sha256:0:12}) on a cluster that records '${installed_version:-no version}'"
        for i in "${!names[@]}"; do
          if [ "${enabled[$i]}" = true ]; then
            say "  chart ${names[$i]} ${versions[$i]} into namespace ${namespaces[$i]}"
          else
            say "  chart ${names[$i]} ${versions[$i]}: not enabled in version.yml, left out"
          fi
        done
        for entry in "${deleted_charts[@]}"; do
          say "  removes chart ${entry%% *}"
        done

        work="$(mktemp -d)"
        trap 'rm -rf "$work"' EXIT

        # 1. Images, into the site registry's storage.
        if [ -d "$registry_tree/docker/registry/v2" ]; then
          bash "$here/@LOAD_IMAGES@" "${REGISTRY_STORAGE:-/var/lib/registry}"
        else
          say "this package carries no images: its charts use those the site registry already holds"
        fi

        # 2. Charts: a platform through the release's own installer; a hotfix (or a release without one) here.
        if [ "$package_kind" = platform ] && [ -f "$here/@RELEASE_INSTALLER@" ]; then
          ca_file=''
          if [ -n "$registry_ca" ]; then
            ca_file="$work/registry-ca.crt"
            printf '%s\n' "$registry_ca" >"$ca_file"
          fi
          say "running the release's installer, @RELEASE_INSTALLER@"
          if ! (cd "$here" && PACKAGE_DIR="$here" ADDONS_FILE="$addons_file" PLATFORM_VERSION="$package_version" \
            REGISTRY_DOMAIN="$registry" REGISTRY_CA="$ca_file" API_VIP="$api_vip" bash "$here/@RELEASE_INSTALLER@"); then
            fail "@RELEASE_INSTALLER@ (the release's installer) failed: the ledger is untouched; fix the cause and run install.sh again"
          fi
        else
          for i in "${!names[@]}"; do
            [ "${enabled[$i]}" = true ] || continue
            say "chart ${names[$i]} ${versions[$i]}: helm upgrade --install in namespace ${namespaces[$i]}"
            if ! helm upgrade --install "${names[$i]}" "$here/${archives[$i]}" --namespace "${namespaces[$i]}" --create-namespace \
              --set-string "$registry_value=$registry" --wait; then
              fail "chart ${names[$i]} ${versions[$i]} failed to install: stopped there, the ledger is untouched; fix the cause and run install.sh again"
            fi
          done
        fi

        # 3. The charts this package deletes, after the upgrades: named first, then uninstalled where they are installed.
        declare -A recorded_namespace=()
        while read -r chart _ chart_namespace; do
          [ -z "$chart" ] || recorded_namespace["$chart"]="$chart_namespace"
        done <<<"$installed_charts"
        if [ "${#deleted_charts[@]}" -gt 0 ]; then
          say "removing the charts $package_version deletes: ${deleted_charts[*]%% *}"
          for entry in "${deleted_charts[@]}"; do
            chart="${entry%% *}"
            chart_namespace="${recorded_namespace[$chart]:-${entry#* }}"
            if helm status "$chart" --namespace "$chart_namespace" >/dev/null 2>&1; then
              helm uninstall "$chart" --namespace "$chart_namespace" \
                || fail "removing chart $chart (namespace $chart_namespace) failed: the ledger is untouched; fix the cause and run install.sh again"
            else
              say "chart $chart: not installed in namespace $chart_namespace, nothing to remove"
            fi
          done
        fi

        # 4. What was installed: system-info (a platform), then the ledger, each applied as a whole (a rerun is unchanged).
        json() {
          local text="$1"
          text="${text//\\/\\\\}"
          text="${text//\"/\\\"}"
          text="${text//$'\n'/\\n}"
          text="${text//$'\r'/\\r}"
          text="${text//$'\t'/\\t}"
          printf '"%s"' "$text"
        }
        apply_configmap() {
          local name="$1" file="$work/$1.json" first=1
          shift
          {
            printf '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":%s,"namespace":%s},"data":{' "$(json "$name")" "$(json "$system_namespace")"
            while [ "$#" -gt 1 ]; do
              [ "$first" -eq 1 ] || printf ','
              first=0
              printf '%s:%s' "$(json "$1")" "$(json "$2")"
              shift 2
            done
            printf '}}\n'
          } >"$file"
          kubectl apply -f "$file"
        }

        if [ "$package_kind" = platform ]; then
          apply_configmap "$system_info" registryDomain "$registry" registryCA "$registry_ca" apiVIP "$api_vip" \
            || fail "the charts are installed but configmap $system_info could not be written; run install.sh again"
        fi

        if [ "$installed_version" = "$package_version" ] && [ "$installed_kind" = "$package_kind" ] && [ "$installed_sha256" = "$package_sha256" ]; then
          say "configmap $ledger already records $package_name: left as it is"
        else
          declare -A chart_entry=()
          if [ "$package_kind" = hotfix ]; then
            while read -r chart chart_version chart_namespace; do
              [ -z "$chart" ] || chart_entry["$chart"]="$chart_version $chart_namespace"
            done <<<"$installed_charts"
          fi
          for i in "${!names[@]}"; do
            [ "${enabled[$i]}" != true ] || chart_entry["${names[$i]}"]="${versions[$i]} ${namespaces[$i]}"
          done
          for entry in "${deleted_charts[@]}"; do
            unset 'chart_entry[${entry%% *}]'
          done
          charts="$(for chart in "${!chart_entry[@]}"; do printf '%s %s\n' "$chart" "${chart_entry[$chart]}"; done | LC_ALL=C sort)"
          now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
          line="$now $package_kind $package_version base=${package_base:--} commit=${package_commit:--} sha256=$package_sha256 package=$package_name${forced_over:+ forced-over=$forced_over}"
          history="${installed_history:+$installed_history
        }$line"
          apply_configmap "$ledger" version "$package_version" kind "$package_kind" base "$package_base" commit "$package_commit" \
            package "$package_name" sha256 "$package_sha256" installed "$now" charts "$charts" history "$history" \
            || fail "the charts are installed but configmap $ledger could not be written; run install.sh again"
        fi
        say "$package_kind $package_version installed; the ledger: kubectl -n $system_namespace get configmap $ledger -o yaml"

        """;
}
