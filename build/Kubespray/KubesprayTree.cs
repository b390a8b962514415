using System.Text.RegularExpressions;

namespace Lading.Kubespray;

/// <summary>A Kubespray source tree on disk, checked to hold the offline list script and the download variables it reads.</summary>
public sealed partial class KubesprayTree
{
    public const string ScriptPath = "contrib/offline/generate_list.sh";

    public const string PlaybookPath = "contrib/offline/generate_list.yml";

    public const string TempPath = "contrib/offline/temp";

    /// <summary>Where the download variables live: newer trees first, then trees before the defaults moved.</summary>
    public static IReadOnlyList<string> DownloadVariablePaths { get; } =
    [
        "roles/kubespray-defaults/defaults/main/download.yml",
        "roles/kubespray_defaults/defaults/main/download.yml",
        "roles/download/defaults/main.yml",
    ];

    private KubesprayTree(string root, string downloadVariables)
    {
        Root = root;
        DownloadVariables = downloadVariables;
    }

    public string Root { get; }

    /// <summary>The download variables file found, relative to the root.</summary>
    public string DownloadVariables { get; }

    public string Script => Path.Combine(Root, ScriptPath);

    public string FilesList => Path.Combine(Root, TempPath, "files.list");

    public string ImagesList => Path.Combine(Root, TempPath, "images.list");

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

        var variables = DownloadVariablePaths.FirstOrDefault(p => File.Exists(Path.Combine(root, p)))
            ?? throw new KubesprayException(root, $"no download variables found (looked for {string.Join(", ", DownloadVariablePaths)}).");
        return new KubesprayTree(root, variables);
    }

    [GeneratedRegex(@"[\s'""`$\\;&|<>*?()\[\]{}!]")]
    private static partial Regex UnsafeForScript();
}
