using System.Text;
using System.Text.RegularExpressions;
using Lading.Kubespray;

namespace Lading.Bootstrap;

/// <summary>
/// What the Kubespray package adds around the Kubespray image: an inventory sample, the cluster config that points
/// Kubespray at the offline-resources site, and install.sh that runs the image with nerdctl against an inventory.
/// </summary>
public static partial class KubesprayPackageFiles
{
    public const string InventoryFolder = "inventory";

    public const string InventoryFile = "inventory/hosts.yaml";

    public const string ClusterConfigFile = "inventory/group_vars/all/offline.yml";

    public const string InstallScriptFile = "install.sh";

    /// <summary>Writes the inventory sample, the cluster config and install.sh (executable) into the package folder; returns them, relative.</summary>
    public static IReadOnlyList<string> WriteTo(string packageRoot, SiteOptions site, string image, string? imageArchive = null, string? imageRepository = null)
    {
        var files = new (string Relative, string Text)[]
        {
            (InventoryFile, InventorySample()),
            (ClusterConfigFile, ClusterConfig(site, imageRepository)),
            (InstallScriptFile, InstallScript(image, imageArchive)),
        };
        foreach (var (relative, text) in files)
        {
            var path = Path.Combine(packageRoot, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }

        SiteBootstrap.MakeExecutable(Path.Combine(packageRoot, InstallScriptFile));
        return files.Select(f => f.Relative).ToList();
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
    /// Kubespray's offline settings for the site: binaries from files/ (laid out as files/&lt;host&gt;/&lt;path&gt;) and images
    /// from the site registry under <paramref name="imageRepository"/> (the registry itself when not given).
    /// </summary>
    public static string ClusterConfig(SiteOptions site, string? imageRepository = null)
    {
        var repository = imageRepository ?? site.Registry;
        if (!RepositoryWord().IsMatch(repository))
        {
            throw new BootstrapException("image repository", $"'{repository}' is not a registry host with an optional path.");
        }

        var yaml = new StringBuilder();
        yaml.Append("---\n");
        yaml.Append("# Kubespray takes everything from the offline-resources site (").Append(SiteFiles.Endpoints).Append(" of that package).\n");
        yaml.Append("registry_host: \"").Append(repository).Append("\"\n");
        yaml.Append("files_repo: \"").Append(site.FilesUrl.TrimEnd('/')).Append("\"\n\n");
        yaml.Append("# Binaries keep their upstream host and path under files/.\n");
        foreach (var (variable, host) in new[] { ("dl_k8s_io_url", "dl.k8s.io"), ("github_url", "github.com"), ("storage_googleapis_url", "storage.googleapis.com"), ("get_helm_url", "get.helm.sh") })
        {
            yaml.Append(variable).Append(": \"{{ files_repo }}/").Append(host).Append("\"\n");
        }

        yaml.Append('\n');
        yaml.Append("# Images keep their upstream path under the site registry.\n");
        foreach (var variable in new[] { "kube_image_repo", "gcr_image_repo", "github_image_repo", "docker_image_repo", "quay_image_repo" })
        {
            yaml.Append(variable).Append(": \"{{ registry_host }}\"\n");
        }

        yaml.Append('\n');
        yaml.Append("# The registry's certificate is signed by the site CA (").Append(site.TlsFolder).Append('/').Append(SiteFiles.CaCertificate)
            .Append(" of offline-resources); install it on every node before deploying.\n");
        yaml.Append("containerd_registries_mirrors:\n");
        yaml.Append("  - prefix: \"").Append(site.Registry).Append("\"\n");
        yaml.Append("    mirrors:\n");
        yaml.Append("      - host: \"https://").Append(site.Registry).Append("\"\n");
        yaml.Append("        capabilities: [\"pull\", \"resolve\"]\n");
        yaml.Append("        skip_verify: false\n");
        return yaml.ToString();
    }

    /// <summary>install.sh of the Kubespray package: loads the image when its archive is shipped, then runs a playbook against the inventory.</summary>
    public static string InstallScript(string image, string? imageArchive = null)
    {
        if (!RepositoryWord().IsMatch(image))
        {
            throw new BootstrapException("Kubespray image", $"'{image}' is not an image reference.");
        }

        var sh = new StringBuilder();
        sh.Append("#!/usr/bin/env bash\n");
        sh.Append("# Deploys the cluster: runs the Kubespray image with nerdctl against an inventory.\n");
        sh.Append("# usage: install.sh [inventory-folder] [ansible-playbook options...]   (PLAYBOOK=reset.yml, SSH_KEY=... to change them)\n");
        sh.Append("set -euo pipefail\n\n");
        sh.Append("here=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\"\n");
        sh.Append("image=").Append(ShellText.Quote(image)).Append('\n');
        sh.Append("inventory=\"$(cd \"${1:-$here/").Append(InventoryFolder).Append("}\" && pwd)\"\n");
        sh.Append("shift $(( $# > 0 ? 1 : 0 ))\n");
        sh.Append("ssh_key=\"${SSH_KEY:-$HOME/.ssh/id_rsa}\"\n");
        sh.Append("playbook=\"${PLAYBOOK:-cluster.yml}\"\n\n");
        sh.Append("if ! command -v nerdctl >/dev/null 2>&1; then\n");
        sh.Append("  echo \"nerdctl is not installed: run install.sh of the offline-resources package first.\" >&2\n");
        sh.Append("  exit 1\n");
        sh.Append("fi\n");
        sh.Append("if [ ! -f \"$inventory/hosts.yaml\" ]; then\n");
        sh.Append("  echo \"no inventory at $inventory/hosts.yaml: copy $here/").Append(InventoryFolder).Append(" and edit it.\" >&2\n");
        sh.Append("  exit 1\n");
        sh.Append("fi\n");
        sh.Append("if [ ! -f \"$ssh_key\" ]; then\n");
        sh.Append("  echo \"no SSH key at $ssh_key: set SSH_KEY to the key that logs in to the nodes.\" >&2\n");
        sh.Append("  exit 1\n");
        sh.Append("fi\n\n");
        if (imageArchive is not null)
        {
            var archive = SiteOptions.Relative(imageArchive, "Kubespray image archive");
            sh.Append("nerdctl load -i \"$here/\"").Append(ShellText.Quote(archive)).Append('\n');
        }

        sh.Append("exec nerdctl run --rm --name kubespray --network host \\\n");
        sh.Append("  -v \"$inventory:").Append(KubesprayRun.InventoryInContainer).Append("\" \\\n");
        sh.Append("  -v \"$ssh_key:").Append(KubesprayRun.SshKeyInContainer).Append(":ro\" \\\n");
        sh.Append("  \"$image\" \\\n");
        sh.Append("  -i ").Append(KubesprayRun.InventoryInContainer).Append("/hosts.yaml --private-key ").Append(KubesprayRun.SshKeyInContainer).Append(" --become \\\n");
        sh.Append("  \"$@\" \"$playbook\"\n");
        return sh.ToString();
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._/:@+-]*$", RegexOptions.IgnoreCase)]
    private static partial Regex RepositoryWord();
}
