using System.Text;
using Lading.Kubespray;

namespace Lading.Bootstrap;

/// <summary>
/// The Kubespray package's cluster config (inventory/group_vars/all/offline.yml) and the site's values it reads
/// (site/offline-site.yml). The naming: binaries and images keep their upstream host and path on the site (files under
/// files/&lt;host&gt;/&lt;path&gt;, images under their path without the registry host), so Kubespray's base variables
/// point at the site; an image stored under another name (an images_origin.yaml rule) or a file its base variable does
/// not reach gets one variable of its own (<see cref="KubesprayOverride"/>), found by the proof.
/// </summary>
public static class KubesprayClusterConfig
{
    /// <summary>Where the nodes keep the site CA; the containerd mirrors name it, prepare-nodes.yml puts it there.</summary>
    public const string NodeCa = "/etc/offline-resources/ca.pem";

    /// <summary>The registries the nodes' containerd always mirrors to the site, beside those Kubespray's images come from.</summary>
    public static IReadOnlyList<string> UpstreamRegistries { get; } = ["docker.io", "gcr.io", "ghcr.io", "quay.io", "registry.k8s.io"];

    /// <summary>Kubespray's base variables for binaries, and the host each keeps under files/.</summary>
    public static IReadOnlyList<(string Variable, string Host)> FileBases { get; } =
        [("dl_k8s_io_url", "dl.k8s.io"), ("github_url", "github.com"), ("storage_googleapis_url", "storage.googleapis.com"), ("get_helm_url", "get.helm.sh")];

    /// <summary>Kubespray's base variables for images (each names a registry).</summary>
    public static IReadOnlyList<string> ImageBases { get; } = ["kube_image_repo", "gcr_image_repo", "github_image_repo", "docker_image_repo", "quay_image_repo"];

    /// <summary>offline.yml: Kubespray's variables, all derived from the offline_site_* values of site/offline-site.yml.</summary>
    public static string Render(IEnumerable<string> registries, IReadOnlyList<KubesprayOverride> overrides)
    {
        var yaml = new StringBuilder();
        yaml.Append("---\n");
        yaml.Append("# Kubespray takes everything from the offline-resources site. The site's values (offline_site_*) are in\n");
        yaml.Append("# site/offline-site.yml of the Kubespray package, written by its load.sh; install.sh passes them to every playbook.\n");
        yaml.Append("registry_host: \"{{ offline_site_registry }}\"\n");
        yaml.Append("files_repo: \"{{ offline_site_files_url }}\"\n\n");
        yaml.Append("# Binaries keep their upstream host and path under files/.\n");
        var byVariable = overrides.ToDictionary(o => o.Variable, StringComparer.Ordinal);
        foreach (var (variable, host) in FileBases)
        {
            Variable(yaml, variable, $"{{{{ files_repo }}}}/{host}", byVariable);
        }

        Overrides(yaml, overrides.Where(o => !o.Variable.EndsWith("_image_repo", StringComparison.Ordinal) && !FileBases.Any(b => b.Variable == o.Variable)), "Files under other base variables");
        yaml.Append('\n');
        yaml.Append("# Images keep their upstream path under the site registry.\n");
        foreach (var variable in ImageBases)
        {
            Variable(yaml, variable, "{{ registry_host }}", byVariable);
        }

        Overrides(yaml, overrides.Where(o => o.Variable.EndsWith("_image_repo", StringComparison.Ordinal) && !ImageBases.Contains(o.Variable)), "Images stored under another name than their upstream path");
        yaml.Append('\n');
        yaml.Append("# containerd pulls the site's own names, and the upstream names of what the site stores, from the site\n");
        yaml.Append("# registry, trusting the site CA (prepare-nodes.yml writes the same files before Kubespray runs).\n");
        yaml.Append("containerd_registries_mirrors:\n");
        foreach (var prefix in registries.Prepend("{{ registry_host }}").Distinct(StringComparer.Ordinal))
        {
            yaml.Append("  - prefix: \"").Append(prefix).Append("\"\n");
            yaml.Append("    mirrors:\n");
            yaml.Append("      - host: \"https://{{ registry_host }}\"\n");
            yaml.Append("        capabilities: [\"pull\", \"resolve\"]\n");
            yaml.Append("        skip_verify: false\n");
            yaml.Append("        ca: [\"{{ offline_site_node_ca }}\"]\n");
        }

        return yaml.ToString();
    }

    /// <summary>
    /// site/offline-site.yml. The values are YAML as they go in: quoted strings and flow lists for the build's pre-filled
    /// file, shell variables for the one load.sh writes from the installed site.
    /// </summary>
    public static string SiteVariables(string hostname, string addresses, string registry, string filesUrl, string reposUrl, string osRepos) =>
        $$"""
        ---
        # The offline-resources site this package installs from. load.sh rewrites this file from the installed site
        # ({{SiteFiles.SiteRecord}}); install.sh passes it to every playbook.
        offline_site_hostname: "{{hostname}}"
        offline_site_addresses: [{{addresses}}]
        offline_site_registry: "{{registry}}"
        offline_site_files_url: "{{filesUrl}}"
        offline_site_repos_url: "{{reposUrl}}"
        # The OS repositories the site holds, <distribution>-<release>/<architecture>; each node gets its own.
        offline_site_os_repos: [{{osRepos}}]
        offline_site_node_ca: "{{NodeCa}}"

        """.Replace("\r\n", "\n");

    /// <summary>The pre-filled site/offline-site.yml: the site the package was built for.</summary>
    public static string SiteVariables(SiteOptions site, IEnumerable<string> osRepos) =>
        SiteVariables(site.Hostname, FlowList(site.Addresses.Select(a => a.ToString())), site.Registry, site.FilesUrl, site.ReposUrl, FlowList(osRepos));

    private static string FlowList(IEnumerable<string> items) => string.Join(", ", items.Select(i => $"\"{i}\""));

    // A base variable: its usual value, or the one the proof found, said why.
    private static void Variable(StringBuilder yaml, string variable, string value, IReadOnlyDictionary<string, KubesprayOverride> overrides)
    {
        if (overrides.TryGetValue(variable, out var found))
        {
            yaml.Append("# ").Append(found.Reason).Append('\n');
            value = found.Value;
        }

        yaml.Append(variable).Append(": \"").Append(Escaped(value)).Append("\"\n");
    }

    private static string Escaped(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static void Overrides(StringBuilder yaml, IEnumerable<KubesprayOverride> overrides, string title)
    {
        var list = overrides.OrderBy(o => o.Variable, StringComparer.Ordinal).ToList();
        if (list.Count == 0)
        {
            return;
        }

        yaml.Append("# ").Append(title).Append(": one variable each.\n");
        foreach (var item in list)
        {
            yaml.Append("# ").Append(item.Reason).Append('\n');
            yaml.Append(item.Variable).Append(": \"").Append(Escaped(item.Value)).Append("\"\n");
        }
    }
}
