namespace Lading.Images;

/// <summary>One image to lay out in a package: the site name it is served under and its top manifest in the store.</summary>
public sealed record LayoutImage
{
    public LayoutImage(string repository, string? tag, Digest manifest)
    {
        var site = ImageReference.ForSite(repository, tag, manifest);
        if (site.Repository != repository)
        {
            throw new ImageReferenceException(repository, $"a site repository is written in full, as '{site.Repository}'");
        }

        Repository = repository;
        Tag = tag;
        Manifest = manifest;
    }

    /// <summary><c>library/nginx</c>: the repository path, without host.</summary>
    public string Repository { get; }

    /// <summary>The tag it is served under; null for an image known only by digest.</summary>
    public string? Tag { get; }

    public Digest Manifest { get; }

    /// <summary>
    /// <c>library/nginx:1.25.3</c>, the name the OCI layout records in its ref name annotation
    /// (<c>library/nginx@sha256:...</c> for an image without tag).
    /// </summary>
    public string RefName => Tag is null ? $"{Repository}@{Manifest}" : $"{Repository}:{Tag}";

    /// <summary>From a site name, as <see cref="OriginMapping.SiteNameOf"/> gives it, and the manifest fetched for it.</summary>
    public static LayoutImage From(ImageReference siteName, Digest manifest)
    {
        if (siteName.Digest is { } pinned && pinned != manifest)
        {
            throw new ImageLayoutException($"{siteName.SiteName} is pinned to {pinned}, but the manifest fetched for it is {manifest}.");
        }

        return new(siteName.Repository, siteName.Tag, manifest);
    }

    public override string ToString() => Tag is null ? RefName : $"{RefName}@{Manifest}";
}

/// <summary>What laying out images wrote: counts a summary can print, and what had to be copied or was left out.</summary>
public sealed class LayoutWriteResult
{
    private readonly List<string> notices = [];
    private readonly Dictionary<string, Digest> blobs = new(StringComparer.Ordinal);

    public int Images { get; private set; }

    /// <summary>Blob files newly hard-linked from the store.</summary>
    public int Linked { get; private set; }

    /// <summary>Blob files already in place from an earlier run.</summary>
    public int AlreadyPresent { get; private set; }

    /// <summary>Blob files copied because the output is on another file system than the store.</summary>
    public int Copied { get; private set; }

    /// <summary>Platforms left out of an index, and other things worth a line in the log.</summary>
    public IReadOnlyList<string> Notices => notices;

    /// <summary>
    /// Every blob file of the layout (full path) and its digest: bytes the store verified, which a package manifest
    /// need not hash again.
    /// </summary>
    public IReadOnlyDictionary<string, Digest> Blobs => blobs;

    internal void Placed(string path, Digest digest) => blobs[Path.GetFullPath(path)] = digest;

    internal void CountImage() => Images++;

    internal void Count(LinkOutcome outcome)
    {
        switch (outcome)
        {
            case LinkOutcome.Linked:
                Linked++;
                break;
            case LinkOutcome.AlreadyPresent:
                AlreadyPresent++;
                break;
            case LinkOutcome.Copied:
                Copied++;
                break;
        }
    }

    internal void Notice(string text) => notices.Add(text);

    public override string ToString() => $"{Images} image(s): {Linked} blob(s) linked, {AlreadyPresent} already present, {Copied} copied";
}

/// <summary>An image could not be laid out in the package.</summary>
public sealed class ImageLayoutException(string message, Exception? inner = null) : Exception(message, inner);
