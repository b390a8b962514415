using System.Text.RegularExpressions;
using Lading.Images;
using Lading.Kubespray;

namespace Lading.Bootstrap;

/// <summary>
/// What the Kubespray package adds around Kubespray's files and images: an inventory sample with the cluster config for
/// the offline site, the site's values and the package's own playbooks under site/, load.sh (merges the package into the
/// site) and install.sh (prepares the nodes, runs Kubespray, records system-info).
/// </summary>
public static partial class KubesprayPackageFiles
{
    public const string InventoryFolder = "inventory";

    public const string InventoryFile = "inventory/hosts.yaml";

    public const string ClusterConfigFile = "inventory/group_vars/all/offline.yml";

    public const string SiteFolder = "site";

    public const string SiteVariablesFile = "site/offline-site.yml";

    public const string SiteCaFile = "site/ca.pem";

    public const string InstallScriptFile = "install.sh";

    public const string LoadScriptFile = "load.sh";

    /// <summary>Where the Kubespray image sees the package's site/ folder.</summary>
    public const string SiteInContainer = "/site";

    /// <summary>
    /// Writes every file, relative paths returned in order; the cluster config with <paramref name="overrides"/> (the proof
    /// may write it again with more), the site's values pre-filled for <paramref name="site"/>.
    /// </summary>
    /// <param name="kubesprayVersion">The Kubespray tag, which the runner image is named after.</param>
    /// <param name="packageVersion">The package's version, recorded in system-info.</param>
    public static IReadOnlyList<string> WriteTo(string packageRoot, SiteOptions site, string kubesprayVersion, string packageVersion, IEnumerable<string> osRepos, IEnumerable<string> registries, IReadOnlyList<KubesprayOverride>? overrides = null)
    {
        var files = new (string Relative, string Text)[]
        {
            (InventoryFile, InventorySample()),
            (ClusterConfigFile, KubesprayClusterConfig.Render(registries, overrides ?? [])),
            (SiteVariablesFile, KubesprayClusterConfig.SiteVariables(site, osRepos)),
            ($"{SiteFolder}/{NodePlaybooks.PrepareNodes}", NodePlaybooks.PrepareNodesPlaybook()),
            ($"{SiteFolder}/{NodePlaybooks.HostsTomlTemplate}", NodePlaybooks.HostsToml()),
            ($"{SiteFolder}/{NodePlaybooks.RecordSystemInfo}", NodePlaybooks.RecordSystemInfoPlaybook(packageVersion)),
            (LoadScriptFile, LoadScript()),
            (InstallScriptFile, InstallScript(kubesprayVersion)),
        };
        foreach (var (relative, text) in files)
        {
            var path = Path.Combine(packageRoot, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }

        SiteBootstrap.MakeExecutable(Path.Combine(packageRoot, LoadScriptFile));
        SiteBootstrap.MakeExecutable(Path.Combine(packageRoot, InstallScriptFile));
        return files.Select(f => f.Relative).ToList();
    }

    /// <summary>The OS repositories a package folder holds under repos/: <c>debian-12/amd64</c>.</summary>
    public static IReadOnlyList<string> OsRepos(string packageRoot)
    {
        var repos = Path.Combine(packageRoot, "repos");
        return Directory.Exists(repos)
            ? Directory.GetDirectories(repos).SelectMany(Directory.GetDirectories).Select(d => Path.GetRelativePath(repos, d).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList()
            : [];
    }

    /// <summary>A three-node Kubespray inventory (documentation addresses) for the site to edit.</summary>
    public static string InventorySample() =>
        """
        # Kubespray inventory: replace the nodes and addresses with the site's own.
        all:
          hosts:
            node1:
              ansible_host: 192.0.2.11
              ip: 192.0.2.11
            node2:
              ansible_host: 192.0.2.12
              ip: 192.0.2.12
            node3:
              ansible_host: 192.0.2.13
              ip: 192.0.2.13
          children:
            kube_control_plane:
              hosts:
                node1:
            kube_node:
              hosts:
                node1:
                node2:
                node3:
            etcd:
              hosts:
                node1:
            k8s_cluster:
              children:
                kube_control_plane:
                kube_node:
            calico_rr:
              hosts: {}

        """;

    /// <summary>
    /// load.sh: merges files/, repos/ and the registry tree into the data folder of the offline-resources site this host
    /// runs (never overwriting), then writes site/offline-site.yml and site/ca.pem from the installed site.
    /// </summary>
    public static string LoadScript()
    {
        var variables = KubesprayClusterConfig.SiteVariables("${SITE_HOSTNAME}", "${addresses}", "${SITE_REGISTRY}", "${SITE_FILES_URL}", "${SITE_REPOS_URL}", "${os_repos}");
        return $$"""
            #!/usr/bin/env bash
            # load.sh of the Kubespray package: merges its files, OS repositories and images into the offline-resources site of
            # this host (nothing there is overwritten; a file there with other content stops it before anything is added),
            # then writes site/offline-site.yml and site/ca.pem from the site, for install.sh.
            # usage: load.sh [site record]   (default {{SiteFiles.SiteRecord}}, written by install.sh of offline-resources)
            set -euo pipefail
            here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
            record="${1:-${DESTDIR:-}{{SiteFiles.SiteRecord}}}"

            say() { printf '%s\n' "$*"; }
            fail() { printf 'load.sh: %s\n' "$*" >&2; exit 1; }

            [ -r "$record" ] || fail "no offline-resources site recorded at $record: install the offline-resources package first"
            SITE_HOSTNAME='' SITE_ADDRESSES='' SITE_REGISTRY='' SITE_FILES_URL='' SITE_REPOS_URL='' SITE_DATA_DIR='' SITE_CA=''
            # shellcheck source=/dev/null
            . "$record"
            for name in SITE_HOSTNAME SITE_REGISTRY SITE_FILES_URL SITE_REPOS_URL SITE_DATA_DIR SITE_CA; do
              [ -n "${!name}" ] || fail "$record does not set $name: run install.sh of the offline-resources package again"
            done
            [ -d "$SITE_DATA_DIR" ] || fail "the site's data folder $SITE_DATA_DIR does not exist"

            {{SiteMerge.Functions().TrimEnd('\n')}}

            merge_check "$here/files" "$SITE_DATA_DIR/{{SiteFiles.DataFiles}}"
            merge_check "$here/repos" "$SITE_DATA_DIR/{{SiteFiles.DataRepos}}"
            merge_check "$here/images/{{PackageImages.RegistryFolder}}" "$SITE_DATA_DIR/{{SiteFiles.DataRegistry}}"
            if [ "${#conflicts[@]}" -gt 0 ]; then
              printf 'load.sh: %d file(s) of the site differ from this package; nothing was merged:\n' "${#conflicts[@]}" >&2
              printf '  %s\n' "${conflicts[@]}" >&2
              exit 1
            fi
            merge_add "$here/files" "$SITE_DATA_DIR/{{SiteFiles.DataFiles}}"
            merge_add "$here/repos" "$SITE_DATA_DIR/{{SiteFiles.DataRepos}}"
            merge_add "$here/images/{{PackageImages.RegistryFolder}}" "$SITE_DATA_DIR/{{SiteFiles.DataRegistry}}"

            # The site's values for the playbooks: its addresses and the OS repositories it holds now.
            addresses=''
            for address in $SITE_ADDRESSES; do addresses="${addresses:+$addresses, }\"$address\""; done
            os_repos=''
            while IFS= read -r repo; do
              os_repos="${os_repos:+$os_repos, }\"$repo\""
            done < <(cd "$SITE_DATA_DIR/{{SiteFiles.DataRepos}}" && find . -mindepth 2 -maxdepth 2 -type d | sed 's#^\./##' | sort)
            mkdir -p "$here/{{SiteFolder}}"
            cat >"$here/{{SiteVariablesFile}}.partial" <<EOF
            {{variables.TrimEnd('\n')}}
            EOF
            mv -f "$here/{{SiteVariablesFile}}.partial" "$here/{{SiteVariablesFile}}"
            cp "$SITE_CA" "$here/{{SiteCaFile}}.partial"
            mv -f "$here/{{SiteCaFile}}.partial" "$here/{{SiteCaFile}}"
            say "load.sh: $added file(s) added to $SITE_DATA_DIR; {{SiteVariablesFile}} and {{SiteCaFile}} written for $SITE_HOSTNAME"
            say "The site serves these images of the package:"
            find "$here/images/{{PackageImages.RegistryFolder}}/docker/registry/v2/repositories" -path '*/_manifests/tags/*/current/link' -print 2>/dev/null \
              | sed -E "s#^$here/images/{{PackageImages.RegistryFolder}}/docker/registry/v2/repositories/(.*)/_manifests/tags/([^/]+)/current/link#  $SITE_REGISTRY/\1:\2#" | sort

            """;
    }

    /// <summary>
    /// install.sh: runs the Kubespray image (pulled from the site registry) with podman or nerdctl against an inventory:
    /// prepare-nodes.yml, Kubespray's playbook, record-system-info.yml, each with the site's values.
    /// </summary>
    public static string InstallScript(string kubesprayVersion)
    {
        var imageName = KubesprayImage.SiteNameFor(kubesprayVersion);
        if (!RepositoryWord().IsMatch(imageName))
        {
            throw new BootstrapException("Kubespray version", $"'{kubesprayVersion}' cannot name an image.");
        }

        return $$"""
            #!/usr/bin/env bash
            # install.sh of the Kubespray package: deploys the cluster from the offline-resources site. It runs the Kubespray
            # image with the inventory three times: site/prepare-nodes.yml (the site's name and CA, the OS repositories and
            # containerd's mirrors on every node), Kubespray's playbook, then site/record-system-info.yml (configmap system-info).
            # usage: install.sh [inventory-folder] [ansible-playbook options...]
            #   PLAYBOOK=reset.yml       another Kubespray playbook (cluster.yml by default); only cluster.yml, scale.yml and
            #                            upgrade-cluster.yml prepare the nodes first and record system-info after
            #   SSH_KEY=<file>           the key that logs in to the nodes (~/.ssh/id_rsa by default)
            #   RUNTIME=podman|nerdctl   what runs the Kubespray image (the site's, else whichever is installed)
            # Run load.sh first: it merges this package into the site and writes site/offline-site.yml and site/ca.pem.
            set -euo pipefail
            here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
            image_name={{ShellText.Quote(imageName)}}
            fail() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

            [ -f "$here/{{SiteCaFile}}" ] || fail "run load.sh first: it merges this package into the offline-resources site and writes {{SiteFolder}}/"
            [ -d "${1:-$here/{{InventoryFolder}}}" ] || fail "no inventory folder at ${1:-$here/{{InventoryFolder}}}"
            inventory="$(cd "${1:-$here/{{InventoryFolder}}}" && pwd)"
            shift $(( $# > 0 ? 1 : 0 ))
            ssh_key="${SSH_KEY:-$HOME/.ssh/id_rsa}"
            playbook="${PLAYBOOK:-cluster.yml}"
            record="${DESTDIR:-}{{SiteFiles.SiteRecord}}"

            [ -f "$inventory/hosts.yaml" ] || fail "no inventory at $inventory/hosts.yaml: copy $here/{{InventoryFolder}} and edit it."
            [ -f "$ssh_key" ] || fail "no SSH key at $ssh_key: set SSH_KEY to the key that logs in to the nodes."
            runtime="${RUNTIME:-}"
            if [ -z "$runtime" ] && [ -r "$record" ]; then
              runtime="$(sed -n "s/^SITE_RUNTIME='\(.*\)'$/\1/p" "$record")"
            fi
            if [ -z "$runtime" ]; then
              if command -v podman >/dev/null 2>&1; then runtime=podman; else runtime=nerdctl; fi
            fi
            command -v "$runtime" >/dev/null 2>&1 || fail "$runtime is not installed: run install.sh of the offline-resources package first."
            registry="$(sed -n 's/^offline_site_registry: "\(.*\)"$/\1/p' "$here/{{SiteVariablesFile}}")"
            [ -n "$registry" ] || fail "{{SiteVariablesFile}} names no registry: run load.sh again."
            # podman relabels the mounts for SELinux; nerdctl takes no such option.
            relabel=''
            [ "$runtime" != podman ] || relabel=',z'

            run() {
              "$runtime" run --rm --name kubespray --network host \
                -v "$inventory:{{KubesprayRun.InventoryInContainer}}${relabel:+:z}" -v "$ssh_key:{{KubesprayRun.SshKeyInContainer}}:ro$relabel" -v "$here/{{SiteFolder}}:{{SiteInContainer}}:ro$relabel" \
                "$registry/$image_name" \
                -i {{KubesprayRun.InventoryInContainer}}/hosts.yaml --private-key {{KubesprayRun.SshKeyInContainer}} --become -e @{{SiteInContainer}}/offline-site.yml \
                "$@"
            }

            case "$playbook" in
              cluster.yml | scale.yml | upgrade-cluster.yml) prepare=1 ;;
              *) prepare='' ;;
            esac
            if [ -n "$prepare" ]; then
              run "$@" {{SiteInContainer}}/{{NodePlaybooks.PrepareNodes}}
            fi
            run "$@" "$playbook"
            if [ -n "$prepare" ]; then
              run "$@" {{SiteInContainer}}/{{NodePlaybooks.RecordSystemInfo}}
            fi

            """;
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._/:@+-]*$", RegexOptions.IgnoreCase)]
    private static partial Regex RepositoryWord();
}
