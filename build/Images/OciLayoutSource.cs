namespace Lading.Images;

/// <summary>
/// An OCI image layout on disk used as an image source (<c>oci:&lt;path&gt;:&lt;ref&gt;</c>): images are found by
/// their <c>org.opencontainers.image.ref.name</c> and copied into the store, every blob verified on the way.
/// </summary>
public sealed class OciLayoutSource
{
    private const int MaxIndexBytes = 4 * 1024 * 1024;

    private readonly Dictionary<string, Descriptor> byRefName;

    private OciLayoutSource(string root, Dictionary<string, Descriptor> entries)
    {
        Root = root;
        byRefName = entries;
    }

    public string Root { get; }

    /// <summary>The ref names the layout's index.json holds, sorted.</summary>
    public IReadOnlyList<string> RefNames => byRefName.Keys.Order(StringComparer.Ordinal).ToList();

    public static OciLayoutSource Open(string folder)
    {
        var root = Path.GetFullPath(folder);
        var index = Path.Combine(root, "index.json");
        if (!File.Exists(Path.Combine(root, "oci-layout")) || !File.Exists(index))
        {
            throw new OciLayoutException(root, "it is not an OCI image layout (no oci-layout and index.json)");
        }

        ImageManifest manifest;
        try
        {
            // Only a regular file inside the layout, and only as much as a manifest may hold.
            var real = ContainedFiles.RegularFile(root, "index.json");
            if (new FileInfo(real).Length > MaxIndexBytes)
            {
                throw new OciLayoutException(root, $"its index.json is larger than {MaxIndexBytes} bytes");
            }

            manifest = ImageManifest.Parse(File.ReadAllBytes(real), MediaTypes.OciIndex);
        }
        catch (ContainedFileException error)
        {
            throw new OciLayoutException(root, error.Message.TrimEnd('.'));
        }
        catch (ManifestException error)
        {
            throw new OciLayoutException(root, $"its index.json cannot be read: {error.Message}");
        }

        var entries = new Dictionary<string, Descriptor>(StringComparer.Ordinal);
        foreach (var descriptor in manifest.Manifests)
        {
            if (descriptor.Annotations?.GetValueOrDefault(OciLayoutWriter.RefNameAnnotation) is { Length: > 0 } name)
            {
                entries[name] = descriptor;
            }
        }

        return new OciLayoutSource(root, entries);
    }

    /// <summary>
    /// The image of that ref name; a name that reads as an image reference also matches its other spellings
    /// (<c>nginx:1.25.3</c> finds <c>docker.io/library/nginx:1.25.3</c>), or null.
    /// </summary>
    public Descriptor? Find(string refName)
    {
        if (byRefName.TryGetValue(refName, out var exact))
        {
            return exact;
        }

        if (!ImageReference.TryParse(refName, out var wanted, out _))
        {
            return null;
        }

        var matches = byRefName
            .Where(e => ImageReference.TryParse(e.Key, out var candidate, out _) && SameImage(candidate, wanted))
            .Select(e => e.Value)
            .DistinctBy(d => d.Digest)
            .ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    /// <summary>
    /// Copies the image named <paramref name="refName"/> into the store and returns its top manifest's descriptor.
    /// For an index, only platforms <paramref name="selectPlatform"/> accepts are copied (all when null).
    /// </summary>
    public async Task<Descriptor> ImportAsync(string refName, IBlobStore store, Func<Platform?, bool>? selectPlatform, CancellationToken cancellationToken)
    {
        var top = Find(refName)
            ?? throw new OciLayoutException(Root, $"it has no image named '{refName}' (it has: {(byRefName.Count == 0 ? "none" : string.Join(", ", RefNames))})");
        var manifest = await CopyManifestAsync(top, store, cancellationToken);
        var children = manifest.Manifests.Where(c => selectPlatform is null || selectPlatform(c.Platform)).ToList();
        if (manifest.IsIndex && children.Count == 0)
        {
            var offered = string.Join(", ", manifest.Manifests.Select(c => c.Platform?.ToString() ?? "?"));
            throw new OciLayoutException(Root, $"image '{refName}' has none of the selected platforms (it has: {offered})");
        }

        foreach (var child in children)
        {
            var childManifest = await CopyManifestAsync(child, store, cancellationToken);
            await CopyBlobsAsync(childManifest, store, cancellationToken);
        }

        await CopyBlobsAsync(manifest, store, cancellationToken);
        return top;
    }

    private async Task<ImageManifest> CopyManifestAsync(Descriptor descriptor, IBlobStore store, CancellationToken cancellationToken)
    {
        await CopyAsync(descriptor, store, cancellationToken);
        await using var stream = store.OpenRead(descriptor.Digest);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory, cancellationToken);
        try
        {
            return ImageManifest.Parse(memory.ToArray(), descriptor.MediaType);
        }
        catch (ManifestException error)
        {
            throw new OciLayoutException(Root, $"manifest {descriptor.Digest} cannot be read: {error.Message}");
        }
    }

    private async Task CopyBlobsAsync(ImageManifest manifest, IBlobStore store, CancellationToken cancellationToken)
    {
        foreach (var blob in manifest.Blobs)
        {
            // Foreign layers are not in layouts either; the runtime fetches them from their URLs.
            if (blob.Urls is { Count: > 0 } && !File.Exists(BlobPath(blob.Digest)))
            {
                continue;
            }

            await CopyAsync(blob, store, cancellationToken);
        }
    }

    private async Task CopyAsync(Descriptor descriptor, IBlobStore store, CancellationToken cancellationToken)
    {
        if (store.Contains(descriptor.Digest))
        {
            return;
        }

        var path = BlobPath(descriptor.Digest);
        if (!File.Exists(path) && new FileInfo(path).LinkTarget is null)
        {
            throw new OciLayoutException(Root, $"blob {descriptor.Digest} is missing from blobs/sha256");
        }

        // A blob is read only from a regular file inside the layout (never a link to /dev/zero), and never past its size.
        FileStream stream;
        try
        {
            stream = ContainedFiles.OpenRead(Root, Path.GetRelativePath(Root, path));
        }
        catch (ContainedFileException error)
        {
            throw new OciLayoutException(Root, error.Message.TrimEnd('.'));
        }

        await using var _ = stream;
        try
        {
            await store.PutAsync(descriptor.Digest, stream, descriptor.Size, cancellationToken);
        }
        catch (BlobMismatchException error)
        {
            throw new OciLayoutException(Root, $"blob {descriptor.Digest} is corrupt: {error.Message}");
        }
    }

    private string BlobPath(Digest digest) => Path.Combine(Root, "blobs", "sha256", digest.Hex);

    private static bool SameImage(ImageReference a, ImageReference b) =>
        a.Repository == b.Repository && a.Tag == b.Tag && a.Digest == b.Digest
        && (a.Registry == b.Registry || !a.HasExplicitRegistry || !b.HasExplicitRegistry);
}

/// <summary>An OCI layout source that cannot give the image asked of it.</summary>
public sealed class OciLayoutException(string layout, string reason)
    : Exception($"OCI layout {layout}: {reason}.")
{
    public string Layout { get; } = layout;
}
