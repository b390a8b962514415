using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Lading.Charts;
using Lading.Images;

namespace Lading.Packaging;

/// <summary>A chart of a package as install.sh installs it: release name, namespace and the .tgz.</summary>
public sealed record ChartToVerify(string Name, string Version, string Namespace, string Archive);

/// <summary>An image a chart references that neither the package nor its base release holds, with where it was found.</summary>
public sealed record MissingImage(string Chart, string Image, string Where);

/// <summary>What a package is checked against: its charts, the origin mapping, its images and, for a hotfix, its base release's images.</summary>
public sealed record VerifySubject(
    string Package,
    IReadOnlyList<ChartToVerify> Charts,
    OriginMapping Origin,
    PackageImageIndex Images,
    string? BaseVersion = null,
    PackageImageIndex? BaseImages = null,
    bool OciLayoutOnly = false);

/// <summary>What Verify found: how many charts and image references it looked at, what is missing and what could not be checked.</summary>
public sealed record VerifyReport(string Package, int Charts, int Images, bool Rendered, IReadOnlyList<MissingImage> Missing, IReadOnlyList<string> Problems, string? BaseVersion, bool OciLayoutOnly)
{
    public bool Complete => Missing.Count == 0 && Problems.Count == 0;

    /// <summary>The failure, one line per image and chart, in the words a release engineer reads in a Jenkins log.</summary>
    public string Describe()
    {
        var text = new StringBuilder($"{Package} is not complete: ");
        var holder = BaseVersion is null ? "the package" : $"the package nor its base release {BaseVersion}";
        text.Append(Missing.Count == 0 ? string.Empty : $"{Missing.Count} image(s) its charts reference {(BaseVersion is null ? "are not in" : "are in neither")} {holder}");
        text.Append(Missing.Count > 0 && Problems.Count > 0 ? "; " : string.Empty);
        text.Append(Problems.Count == 0 ? string.Empty : $"{Problems.Count} chart(s) could not be checked");
        foreach (var missing in Missing)
        {
            text.Append($"\n  {missing.Chart}: {missing.Image} ({missing.Where})");
        }

        foreach (var problem in Problems)
        {
            text.Append($"\n  {problem}");
        }

        if (OciLayoutOnly && Missing.Count > 0)
        {
            text.Append("\nIts images are an OCI layout only (--layout=oci); install.sh loads a registry tree: build it with --layout=registry or --layout=both.");
        }

        return text.ToString();
    }
}

/// <summary>
/// Proves a platform or hotfix package complete before it ships: renders every chart the way install.sh installs it
/// (its version.yml namespace, the site registry as <see cref="RegistryValue"/>) and checks that every image the
/// manifests reference is in the package's registry tree or, for a hotfix, in its base release. install.sh --check
/// does the same on site with bash and helm.
/// </summary>
/// <param name="render">Renders a chart with the site registry given (helm template); null reads images from chart lists and annotations only.</param>
public sealed class PackageVerifier(Func<ChartToVerify, string, string>? render)
{
    /// <summary>The chart value install.sh gives the site registry in (with --set-string), the Helm charts' common convention.</summary>
    public const string RegistryValue = "global.imageRegistry";

    /// <summary>Stands for the site registry when rendering off site: the names images are stored under do not depend on it.</summary>
    public const string PlaceholderRegistry = "site-registry.invalid";

    public VerifyReport Verify(VerifySubject subject)
    {
        var missing = new List<MissingImage>();
        var problems = new List<string>();
        var references = 0;
        foreach (var chart in subject.Charts)
        {
            IReadOnlyList<ChartImage> found;
            try
            {
                found = render is null ? FromArchive(chart) : ChartImages.FromRenderedManifests(render(chart, PlaceholderRegistry), chart.Name);
            }
            catch (Exception e) when (e is Tools.ToolException or ChartException or PackageException or InvalidDataException)
            {
                var said = e is Tools.ToolException tool ? tool.Output.Trim() : e.Message;
                problems.Add($"{chart.Name}: could not be rendered as install.sh installs it (namespace {chart.Namespace}): {said.Split('\n')[0]}");
                continue;
            }

            foreach (var image in found.DistinctBy(i => i.Reference))
            {
                references++;
                var where = image.Line > 0 ? $"{image.Origin}:{image.Line}" : image.Origin;
                if (!ImageReference.TryParse(image.Reference, out var reference, out var reason))
                {
                    problems.Add($"{chart.Name}: '{image.Reference}' ({where}) is no image reference: {reason}");
                    continue;
                }

                var site = SiteImage.Of(reference, PlaceholderRegistry, subject.Origin);
                if (!subject.Images.Contains(site) && subject.BaseImages?.Contains(site) != true
                    && missing.All(m => m.Chart != chart.Name || m.Image != site.Name))
                {
                    missing.Add(new MissingImage(chart.Name, site.Name, where));
                }
            }
        }

        return new VerifyReport(subject.Package, subject.Charts.Count, references, render is not null, missing, problems, subject.BaseVersion, subject.OciLayoutOnly);
    }

    /// <summary>Without helm: the images a chart's Chart.yaml annotations and images_*.list files name, read from its .tgz.</summary>
    private static IReadOnlyList<ChartImage> FromArchive(ChartToVerify chart)
    {
        var images = new List<ChartImage>();
        using var file = File.OpenRead(chart.Archive);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is null)
            {
                continue;
            }

            var parts = entry.Name.Split('/');
            var text = new StreamReader(entry.DataStream).ReadToEnd();
            if (parts.Length == 2 && parts[1] == ChartMetadata.FileName)
            {
                images.AddRange(ChartImages.FromAnnotations(ChartMetadata.Parse(text, $"{chart.Name}/{ChartMetadata.FileName}"), chart.Name));
            }
            else if (parts[^1].StartsWith("images_", StringComparison.Ordinal) && parts[^1].EndsWith(".list", StringComparison.Ordinal))
            {
                images.AddRange(ChartImages.ParseImageList(text, entry.Name, chart.Name));
            }
        }

        return images;
    }
}

/// <summary>Where Verify finds what it checks: the package being built, or a package tar.</summary>
public static class VerifySubjects
{
    /// <summary>The package being assembled: its staging folder, with the site tables install.sh will read.</summary>
    public static VerifySubject OfBuild(PackageBuild build, PlatformSite site) => new(
        build.FullName,
        site.Addons.Select(a => new ChartToVerify(a.Name, a.Version, a.Namespace, Path.Combine(build.Staging, a.File))).ToList(),
        site.Origin,
        PackageImageIndex.FromTree(Path.Combine(build.ImagesFolder, PackageImages.RegistryFolder)),
        build.Kind == PackageKind.Hotfix ? build.BaseVersion : null,
        site.BaseImages,
        OciLayoutOnly(build.ImagesFolder));

    /// <summary>
    /// A package tar: its charts (extracted under <paramref name="scratch"/>), addons.tsv, image-origins.tsv and, for a
    /// hotfix, base-images.list, read in one pass; the registry tree from entry names alone (no blob is read).
    /// </summary>
    public static async Task<VerifySubject> FromTarAsync(string tarPath, string scratch, CancellationToken cancellationToken)
    {
        var manifest = PackageManifest.ReadFromTar(tarPath);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var paths = new List<string>();
        var oci = false;
        Directory.CreateDirectory(scratch);
        await using (var stream = File.OpenRead(tarPath))
        await using (var reader = new TarReader(stream))
        {
            while (await reader.GetNextEntryAsync(cancellationToken: cancellationToken) is { } entry)
            {
                paths.Add(entry.Name);
                var parts = entry.Name.TrimStart('.', '/').Split('/');
                var inPackage = string.Join('/', parts.Skip(1));
                oci |= inPackage.StartsWith($"images/{PackageImages.OciFolder}/", StringComparison.Ordinal);
                if (entry.DataStream is null || parts.Length < 2)
                {
                    continue;
                }

                if (inPackage is PlatformSiteFiles.Addons or PlatformSiteFiles.ImageOrigins or PlatformSiteFiles.BaseImages)
                {
                    texts[inPackage] = await new StreamReader(entry.DataStream).ReadToEndAsync(cancellationToken);
                }
                else if (parts.Length == 3 && parts[1] == "charts" && parts[2].EndsWith(".tgz", StringComparison.Ordinal))
                {
                    Directory.CreateDirectory(Path.Combine(scratch, "charts"));
                    await using var chart = File.Create(Path.Combine(scratch, "charts", parts[2]));
                    await entry.DataStream.CopyToAsync(chart, cancellationToken);
                }
            }
        }

        if (!texts.TryGetValue(PlatformSiteFiles.Addons, out var addons))
        {
            throw new PackageException($"{tarPath}: holds no {PlatformSiteFiles.Addons}; only platform and hotfix packages built by this Lading can be verified");
        }

        var images = PackageImageIndex.FromPaths(paths);
        var isHotfix = manifest.Kind == "hotfix";
        return new VerifySubject(
            Path.GetFileName(tarPath),
            PlatformSiteFiles.ParseAddons(addons, $"{tarPath}:{PlatformSiteFiles.Addons}").Select(a => new ChartToVerify(a.Name, a.Version, a.Namespace, Path.Combine(scratch, a.File))).ToList(),
            texts.TryGetValue(PlatformSiteFiles.ImageOrigins, out var origins) ? PlatformSiteFiles.ParseOrigins(origins, $"{tarPath}:{PlatformSiteFiles.ImageOrigins}") : OriginMapping.Empty,
            images,
            isHotfix ? manifest.BaseVersion : null,
            isHotfix ? PackageImageIndex.FromKeys(ListText.Texts(texts.GetValueOrDefault(PlatformSiteFiles.BaseImages, string.Empty))) : null,
            oci && images.Count == 0);
    }

    private static bool OciLayoutOnly(string imagesFolder) =>
        Directory.Exists(Path.Combine(imagesFolder, PackageImages.OciFolder)) && !Directory.Exists(Path.Combine(imagesFolder, PackageImages.RegistryFolder));
}
