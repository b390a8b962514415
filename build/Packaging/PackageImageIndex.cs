using System.Formats.Tar;
using Lading.Images;

namespace Lading.Packaging;

/// <summary>An image as a registry tree stores it: the repository, and the tag or the manifest digest it is found by.</summary>
public sealed record SiteImage(string Repository, string? Tag, Digest? Digest)
{
    /// <summary><c>library/nginx:1.25.3</c>, <c>library/nginx@sha256:...</c> or both.</summary>
    public string Name => Repository + (Tag is null ? string.Empty : ":" + Tag) + (Digest is null ? string.Empty : "@" + Digest);

    /// <summary>What a pull asks the registry for: the digest when there is one, else the tag.</summary>
    public string Key => Digest is { } digest ? $"{Repository}@{digest}" : $"{Repository}:{Tag}";

    /// <summary>
    /// Where an image a chart names is stored, as Lading stores it: an image of the site registry under its path there;
    /// a mapped upstream image under its images_origin.yaml dest; any other under its path without the host.
    /// </summary>
    public static SiteImage Of(ImageReference reference, string siteRegistry, OriginMapping origin)
    {
        if (reference.HasExplicitRegistry && string.Equals(reference.Registry, siteRegistry, StringComparison.Ordinal))
        {
            return new SiteImage(reference.Repository, reference.Tag, reference.Digest);
        }

        var site = origin.SiteNameOf(reference);
        return new SiteImage(site.Repository, site.Tag, site.Digest);
    }
}

/// <summary>
/// The images a package (or a base release) holds, by the names a pull finds them under: <c>repository:tag</c> for
/// every tag of its registry tree and <c>repository@digest</c> for every manifest revision.
/// </summary>
public sealed class PackageImageIndex
{
    private const string Repositories = "docker/registry/v2/repositories/";
    private readonly HashSet<string> _keys;

    private PackageImageIndex(HashSet<string> keys) => _keys = keys;

    public static PackageImageIndex Empty { get; } = new([]);

    public IReadOnlyCollection<string> Keys => _keys;

    public int Count => _keys.Count;

    public bool Contains(SiteImage image) => _keys.Contains(image.Key);

    public PackageImageIndex Union(PackageImageIndex other) => new([.. _keys, .. other._keys]);

    /// <summary>The tags and revisions of a registry tree on disk (<c>images/registry</c>); empty when there is none.</summary>
    public static PackageImageIndex FromTree(string registryRoot)
    {
        var repositories = Path.Combine(registryRoot, Repositories);
        return Directory.Exists(repositories)
            ? FromPaths(Directory.EnumerateFiles(repositories, "link", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(registryRoot, f).Replace('\\', '/')))
            : Empty;
    }

    /// <summary>The tags and revisions of the registry tree inside a package tar, read from its entry names alone.</summary>
    public static PackageImageIndex FromTar(string tarPath)
    {
        if (!File.Exists(tarPath))
        {
            throw new PackageException($"{tarPath}: no such package");
        }

        var names = new List<string>();
        using (var stream = File.OpenRead(tarPath))
        using (var reader = new TarReader(stream))
        {
            while (reader.GetNextEntry() is { } entry)
            {
                names.Add(entry.Name);
            }
        }

        return FromPaths(names);
    }

    /// <summary>
    /// From paths holding <c>docker/registry/v2/repositories/&lt;repo&gt;/_manifests/tags/&lt;tag&gt;/current/link</c> or
    /// <c>.../_manifests/revisions/sha256/&lt;hex&gt;/link</c>; every other path is ignored.
    /// </summary>
    public static PackageImageIndex FromPaths(IEnumerable<string> paths)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var at = path.IndexOf(Repositories, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var parts = path[(at + Repositories.Length)..].Split('/');
            var manifests = Array.IndexOf(parts, "_manifests");
            if (manifests < 1)
            {
                continue;
            }

            var repository = string.Join('/', parts[..manifests]);
            var rest = parts[(manifests + 1)..];
            if (rest is ["tags", var tag, "current", "link"])
            {
                keys.Add($"{repository}:{tag}");
            }
            else if (rest is ["revisions", "sha256", var hex, "link"])
            {
                keys.Add($"{repository}@sha256:{hex}");
            }
        }

        return new PackageImageIndex(keys);
    }

    /// <summary>The images a release's lists name (as images/*.list writes them), under their site names.</summary>
    public static PackageImageIndex OfLists(IEnumerable<string> listEntries, OriginMapping origin)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in listEntries)
        {
            if (ImageReference.TryParse(entry, out var reference, out _))
            {
                var site = origin.SiteNameOf(reference);
                keys.Add(new SiteImage(site.Repository, site.Tag, site.Digest).Key);
            }
        }

        return new PackageImageIndex(keys);
    }

    /// <summary>From the lines of a base-images.list: each is a key as <see cref="SiteImage.Key"/> writes it.</summary>
    public static PackageImageIndex FromKeys(IEnumerable<string> keys) => new(keys.ToHashSet(StringComparer.Ordinal));
}
