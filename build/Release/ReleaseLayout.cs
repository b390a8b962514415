using Lading.Charts;

namespace Lading.Release;

/// <summary>The well-known paths of a release repo (platform-release), in one place.</summary>
public static class ReleaseLayout
{
    /// <summary>Helm charts, one folder each, collected from the component repos.</summary>
    public const string Addons = "addons";

    /// <summary>repos/*.yaml: which component repo, which tag, which chart paths.</summary>
    public const string Repos = "repos";

    /// <summary>images/images_*.list and images/provenance.yaml, generated.</summary>
    public const string Images = "images";

    /// <summary>Upstream image ↔ site name mapping.</summary>
    public const string OriginFile = "images_origin.yaml";

    public const string InstallScript = "install.sh";

    /// <summary>Folders copied into a platform package as they are.</summary>
    public static IReadOnlyList<string> CopiedFolders { get; } = ["scripts", "configs"];

    /// <summary>Every chart folder under <c>addons/</c> of <paramref name="root"/> (those holding a Chart.yaml), in name order.</summary>
    public static IReadOnlyList<string> ChartFolders(string root)
    {
        var addons = Path.Combine(root, Addons);
        return Directory.Exists(addons)
            ? Directory.GetDirectories(addons).Where(d => File.Exists(Path.Combine(d, ChartMetadata.FileName))).Order(StringComparer.Ordinal).ToList()
            : [];
    }
}
