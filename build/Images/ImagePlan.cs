namespace Lading.Images;

/// <summary>Where an image can be fetched from.</summary>
public abstract record ImageSource;

/// <summary>A registry over the Distribution API; <see cref="Reference"/> names registry, repository, tag and digest.</summary>
public sealed record RegistrySource(ImageReference Reference) : ImageSource
{
    public override string ToString() => $"docker://{Reference}";
}

/// <summary>An OCI image layout on disk, the image found by its ref name annotation.</summary>
public sealed record OciSource(string Layout, string RefName) : ImageSource
{
    public override string ToString() => $"oci:{Layout}:{RefName}";
}

/// <summary>One image of the package: the name it is served under on site, and where to fetch it, in order of trust.</summary>
public sealed record PlannedImage(ImageListEntry Entry, ImageReference SiteName, IReadOnlyList<ImageSource> Sources)
{
    public override string ToString() => $"{SiteName.SiteName} <- {string.Join(", then ", Sources)}";
}

/// <summary>
/// Which images a package holds, under which site names, fetched from where. A site name (no host) is fetched from the
/// source registry, falling back to its images_origin.yaml src; a full reference from where it says; an
/// <c>oci:</c> entry from its layout. Pure: nothing is fetched, so <c>--dryrun</c> can print it.
/// </summary>
public sealed class ImagePlan
{
    private ImagePlan(IReadOnlyList<PlannedImage> images) => Images = images;

    public IReadOnlyList<PlannedImage> Images { get; }

    /// <param name="sourceRegistry">
    /// The internal registry site names are fetched from: <c>host[:port]</c>, or <c>oci:&lt;folder&gt;</c> for a layout
    /// whose ref names are site names. Null when there is none.
    /// </param>
    public static ImagePlan Create(ImageList list, OriginMapping origin, string? sourceRegistry) =>
        Create(list, origin, ParseSourceRegistry(sourceRegistry));

    /// <param name="source">The source registry, parsed once with <see cref="ParseSourceRegistry"/>.</param>
    public static ImagePlan Create(ImageList list, OriginMapping origin, ImageSource? source)
    {
        var problems = new List<ImageListProblem>();
        var planned = new List<PlannedImage>();
        var bySiteName = new Dictionary<string, PlannedImage>(StringComparer.Ordinal);
        foreach (var entry in list.Entries)
        {
            var siteName = origin.SiteNameOf(entry.Reference);
            var sources = SourcesOf(entry, siteName, origin, source);
            if (sources.Count == 0)
            {
                problems.Add(new ImageListProblem(entry.File, entry.Line,
                    $"'{entry.Text}' has no registry host, and neither a source registry nor images_origin.yaml says where to fetch it"));
                continue;
            }

            var image = new PlannedImage(entry, siteName, sources);
            if (bySiteName.TryGetValue(siteName.SiteName, out var other))
            {
                if (!sources.SequenceEqual(other.Sources))
                {
                    problems.Add(new ImageListProblem(entry.File, entry.Line,
                        $"'{entry.Text}' would be stored as {siteName.SiteName}, already taken by '{other.Entry.Text}' ({other.Entry.Location}); map one of them to another dest in images_origin.yaml"));
                }

                continue;
            }

            bySiteName.Add(siteName.SiteName, image);
            planned.Add(image);
        }

        if (problems.Count > 0)
        {
            throw new ImageListException(problems);
        }

        return new ImagePlan(planned);
    }

    /// <summary>One line an image, as <c>--dryrun</c> prints the plan.</summary>
    public IEnumerable<string> Describe() => Images.Select(i => i.ToString());

    /// <summary>The same plan narrowed to some of its images (those a registry lacks, those a hotfix adds).</summary>
    public ImagePlan Only(IEnumerable<PlannedImage> images)
    {
        var keep = images.ToHashSet();
        return new ImagePlan(Images.Where(keep.Contains).ToList());
    }

    private static List<ImageSource> SourcesOf(ImageListEntry entry, ImageReference siteName, OriginMapping origin, ImageSource? sourceRegistry)
    {
        if (entry.OciLayout is not null)
        {
            return [new OciSource(entry.OciLayout, entry.OciRefName!)];
        }

        if (entry.Reference.HasExplicitRegistry)
        {
            return [new RegistrySource(entry.Reference)];
        }

        var sources = new List<ImageSource>();
        switch (sourceRegistry)
        {
            case RegistrySource registry:
                sources.Add(new RegistrySource(siteName.WithRegistry(registry.Reference.Registry)));
                break;
            case OciSource layout:
                sources.Add(layout with { RefName = siteName.SiteName });
                break;
        }

        if (origin.UpstreamOf(siteName) is { } upstream)
        {
            sources.Add(new RegistrySource(upstream));
        }

        return sources;
    }

    /// <summary>Reads <c>host[:port]</c> or <c>oci:&lt;folder&gt;</c>; null for none.</summary>
    public static ImageSource? ParseSourceRegistry(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (text.StartsWith(ImageList.OciPrefix, StringComparison.Ordinal))
        {
            return new OciSource(Path.GetFullPath(text[ImageList.OciPrefix.Length..]), string.Empty);
        }

        try
        {
            // Only the registry part of this reference is used.
            return new RegistrySource(ImageReference.Parse("probe").WithRegistry(text.TrimEnd('/')));
        }
        catch (ImageReferenceException error)
        {
            throw new ImageReferenceException(text, $"a source registry is host[:port] (like 10.0.0.5:5000) or oci:<folder>, and {error.Reason}");
        }
    }
}
