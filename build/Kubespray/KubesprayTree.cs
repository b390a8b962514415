using System.Text.RegularExpressions;

namespace Lading.Kubespray;

/// <summary>A Kubespray source tree on disk, checked to hold the offline list script and the download variables it reads.</summary>
public sealed partial class KubesprayTree
{
    public const string ScriptPath = "contrib/offline/generate_list.sh";

    public const string PlaybookPath = "contrib/offline/generate_list.yml";

    public const string TempPath = "contrib/offline/temp";

    /// <summary>The Kubespray releases whose offline script Lading reads: the first with DOWNLOAD_YML, and the newest checked.</summary>
    public const string SupportedRange = "v2.20 to v2.31";

    private KubesprayTree(string root, string downloadVariables, bool kubeVersionWithV)
    {
        Root = root;
        DownloadVariables = downloadVariables;
        KubeVersionWithV = kubeVersionWithV;
    }

    public string Root { get; }

    /// <summary>The download variables file the tree's own script names (its DOWNLOAD_YML), relative to the root.</summary>
    public string DownloadVariables { get; }

    /// <summary>
    /// Whether this tree's kube_version carries a leading v (v1.29.5, up to Kubespray v2.27) or not (1.32.5, from
    /// v2.28, whose script writes the v itself).
    /// </summary>
    public bool KubeVersionWithV { get; }

    public string Script => Path.Combine(Root, ScriptPath);

    public string FilesList => Path.Combine(Root, TempPath, "files.list");

    public string ImagesList => Path.Combine(Root, TempPath, "images.list");

    /// <summary>
    /// Each <c>*_download_url</c> variable of the download variables file, keyed by its value as the list script writes
    /// it into the files template (quotes removed): the variable to set for a URL written out in full.
    /// </summary>
    public IReadOnlyDictionary<string, string> UrlVariables()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var file = Path.Combine(Root, DownloadVariables);
        if (!File.Exists(file))
        {
            return variables;
        }

        foreach (var match in File.ReadLines(file).Select(l => DownloadUrlLine().Match(l)).Where(m => m.Success))
        {
            variables.TryAdd(match.Groups["value"].Value.Replace("\"", string.Empty, StringComparison.Ordinal).Trim(), match.Groups["name"].Value);
        }

        return variables;
    }

    /// <summary>A Kubernetes version spelled as this tree's kube_version is (with or without the leading v).</summary>
    public string KubeVersion(string version)
    {
        var bare = version.StartsWith('v') ? version[1..] : version;
        return KubeVersionWithV ? "v" + bare : bare;
    }

    public static KubesprayTree Open(string path)
    {
        var root = Path.GetFullPath(path);
        if (!Directory.Exists(root))
        {
            throw new KubesprayException(root, "the Kubespray tree does not exist.");
        }

        // generate_list.sh splits its own path on whitespace (unquoted $0 and $*), so such a tree would yield wrong lists.
        if (UnsafeForScript().IsMatch(root))
        {
            throw new KubesprayException(root, "Kubespray's generate_list.sh does not quote paths; move the tree to a path without spaces or shell characters.");
        }

        foreach (var required in new[] { ScriptPath, PlaybookPath })
        {
            if (!File.Exists(Path.Combine(root, required)))
            {
                throw new KubesprayException(Path.Combine(root, required), "missing: this is not a Kubespray tree with the offline list script (contrib/offline).");
            }
        }

        // The file holding the download variables moved between releases; the tree's own script says where it is.
        var script = File.ReadAllText(Path.Combine(root, ScriptPath));
        var declared = DownloadYml().Match(script);
        if (!declared.Success)
        {
            throw new KubesprayException(Path.Combine(root, ScriptPath),
                $"the offline list script declares no DOWNLOAD_YML, so Lading cannot tell where this Kubespray keeps its download variables; Kubespray {SupportedRange} are supported.");
        }

        var variables = declared.Groups["path"].Value.Trim();
        if (Path.IsPathRooted(variables) || variables.Split('/').Contains("..") || !File.Exists(Path.Combine(root, variables)))
        {
            throw new KubesprayException(Path.Combine(root, ScriptPath),
                $"the offline list script names DOWNLOAD_YML={variables}, which is no file of this tree; Kubespray {SupportedRange} are supported.");
        }

        return new KubesprayTree(root, variables, kubeVersionWithV: !KubeImageWithV().IsMatch(script));
    }

    [GeneratedRegex(@"^\s*:\s*\$\{DOWNLOAD_YML:?=[""']?(?<path>[^""'}]+)[""']?\}", RegexOptions.Multiline)]
    private static partial Regex DownloadYml();

    [GeneratedRegex(@":v\{\{\s*kube_version\s*\}\}")]
    private static partial Regex KubeImageWithV();

    [GeneratedRegex(@"[\s'""`$\\;&|<>*?()\[\]{}!]")]
    private static partial Regex UnsafeForScript();

    // kubelet_download_url: "https://dl.k8s.io/release/{{ kube_version }}/bin/linux/{{ image_arch }}/kubelet"
    [GeneratedRegex(@"^(?<name>[a-z0-9_]+_download_url):\s*(?<value>\S.*?)\s*$")]
    private static partial Regex DownloadUrlLine();
}
