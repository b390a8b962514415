namespace Lading.Packaging;

/// <summary>One package being built: what it is, where its sources and staging folder are, what went into it.</summary>
public sealed class PackageBuild
{
    public required string Name { get; init; }

    public required string Version { get; init; }

    /// <summary>platform or hotfix.</summary>
    public required string Kind { get; init; }

    public string? BaseVersion { get; init; }

    public string? Customer { get; init; }

    public string? Commit { get; init; }

    /// <summary>The release repo's files at the version packaged.</summary>
    public required string Source { get; init; }

    /// <summary>The folder assembled into the tar: &lt;work&gt;/package/&lt;FullName&gt;/&lt;FullName&gt;.</summary>
    public required string Staging { get; init; }

    public string FullName => Kind switch
    {
        "platform" => $"{Name}-{Version}",
        "hotfix" => $"{Name}-{Version}-hotfix",
        _ => $"{Name}-{Kind}-{Version}",
    };

    /// <summary>The image lists this package's images come from; for a platform package, the release's images/.</summary>
    public string? ImageLists { get; init; }

    /// <summary>Only these addons are packaged (a hotfix's changed charts); null packages every addon.</summary>
    public IReadOnlySet<string>? Addons { get; set; }

    public List<string> DeletedCharts { get; } = [];

    /// <summary>Images that go in; null means every image of the lists.</summary>
    public IReadOnlySet<string>? Images { get; set; }

    public List<PackagedChartEntry> Charts { get; } = [];

    public List<PackagedImageEntry> PackagedImages { get; } = [];

    public int BlobsInBase { get; set; }

    public string ImagesFolder => Path.Combine(Staging, "images");

    public string ChartsFolder => Path.Combine(Staging, "charts");
}
