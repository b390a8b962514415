namespace Lading.Packaging;

/// <summary>One package being built: what it is, where its sources and staging folder are, what went into it.</summary>
public sealed class PackageBuild
{
    public required PackageIdentity Identity { get; init; }

    public string Name => Identity.Name;

    public string Version => Identity.Version;

    public PackageKind Kind => Identity.Kind;

    public string FullName => Identity.FullName;

    public string? Customer => Identity.Customer;

    /// <summary>For a hotfix: the release it is installed on.</summary>
    public string? BaseVersion { get; init; }

    public string? Commit { get; init; }

    /// <summary>
    /// The package's time (manifest and tar entries): its release commit's, so two builds of one tag give the same bytes;
    /// null when there is none (the time of building is used then).
    /// </summary>
    public DateTimeOffset? Time { get; init; }

    /// <summary>Held while this build works on the package's folders; released at the end of the build.</summary>
    public IDisposable? Lock { get; init; }

    /// <summary>The release repo's files at the version packaged (the working folder for a package made from lists).</summary>
    public required string Source { get; init; }

    /// <summary>The folder assembled into the tar: &lt;work&gt;/package/&lt;FullName&gt;/&lt;FullName&gt;.</summary>
    public required string Staging { get; init; }

    /// <summary>The image lists this package's images come from.</summary>
    public required string ImageLists { get; init; }

    /// <summary>Only these addons are packaged (a hotfix's changed charts); null packages every addon.</summary>
    public IReadOnlySet<string>? Addons { get; set; }

    public List<string> DeletedCharts { get; } = [];

    /// <summary>Images that go in; null means every image of the lists.</summary>
    public IReadOnlySet<string>? Images { get; set; }

    public List<PackagedChartEntry> Charts { get; } = [];

    public List<PackagedImageEntry> PackagedImages { get; } = [];

    public int BlobsInBase { get; set; }

    /// <summary>Files of the staging folder (full paths) whose sha256 is known: image blobs linked from the store, verified there.</summary>
    public Dictionary<string, Digest> KnownDigests { get; } = new(StringComparer.Ordinal);

    public string ImagesFolder => Path.Combine(Staging, "images");

    public string ChartsFolder => Path.Combine(Staging, "charts");

    /// <summary>&lt;work&gt;/package/&lt;FullName&gt;/&lt;FullName&gt;: the tar holds the package under its own name.</summary>
    public static string StagingFor(PackageIdentity identity, string workFolder) =>
        Path.Combine(workFolder, "package", identity.FullName, identity.FullName);
}
