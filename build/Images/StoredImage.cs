namespace Lading.Images;

/// <summary>A manifest held in the store, with its descriptor (media type, digest, size) as a registry serves it.</summary>
public sealed record StoredManifest(Descriptor Descriptor, ImageManifest Manifest);

/// <summary>
/// Everything one image is made of in the store, found from its top manifest: the manifests (an index and its platform
/// manifests, or one image manifest) and the config and layer blobs they name.
/// </summary>
public sealed record StoredImage(
    StoredManifest Top,
    IReadOnlyList<StoredManifest> Manifests,
    IReadOnlyList<Descriptor> Blobs,
    IReadOnlyList<Descriptor> AbsentPlatforms)
{
    /// <summary>Every digest the image needs, manifests first, each once.</summary>
    public IEnumerable<Digest> AllDigests => Manifests.Select(m => m.Descriptor.Digest).Concat(Blobs.Select(b => b.Digest)).Distinct();

    /// <summary>
    /// Reads the image from the store. Platform manifests of an index that are not stored (platforms not selected)
    /// are left out and listed in <see cref="AbsentPlatforms"/>; a missing config or layer is an error.
    /// </summary>
    public static async Task<StoredImage> ResolveAsync(IBlobStore store, Digest manifest, CancellationToken cancellationToken)
    {
        var top = await ReadAsync(store, manifest, null, cancellationToken);
        var manifests = new List<StoredManifest> { top };
        var absent = new List<Descriptor>();
        if (top.Manifest.IsIndex)
        {
            foreach (var child in top.Manifest.Manifests.DistinctBy(c => c.Digest))
            {
                if (!store.Contains(child.Digest))
                {
                    absent.Add(child);
                    continue;
                }

                var stored = await ReadAsync(store, child.Digest, child.MediaType, cancellationToken);
                if (stored.Manifest.IsIndex)
                {
                    throw new ManifestException($"Index {manifest} names another index ({child.Digest}); nested indexes are not supported.");
                }

                manifests.Add(stored);
            }
        }

        var blobs = new List<Descriptor>();
        var seen = new HashSet<Digest>();
        foreach (var descriptor in manifests.SelectMany(m => m.Manifest.Blobs))
        {
            if (!seen.Add(descriptor.Digest))
            {
                continue;
            }

            if (!store.Contains(descriptor.Digest))
            {
                // Foreign layers (Windows base layers) are fetched from their URLs by the runtime, never from a registry.
                if (descriptor.Urls is { Count: > 0 })
                {
                    continue;
                }

                throw new BlobNotFoundException(descriptor.Digest, $"(manifest {manifest} needs it)");
            }

            blobs.Add(descriptor);
        }

        return new StoredImage(top, manifests, blobs, absent);
    }

    private static async Task<StoredManifest> ReadAsync(IBlobStore store, Digest digest, string? mediaType, CancellationToken cancellationToken)
    {
        if (!store.Contains(digest))
        {
            throw new BlobNotFoundException(digest, "(a manifest of the image)");
        }

        await using var stream = store.OpenRead(digest);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory, cancellationToken);
        var bytes = memory.ToArray();
        var manifest = ImageManifest.Parse(bytes, mediaType);
        return new StoredManifest(new Descriptor(manifest.MediaType, digest, bytes.Length), manifest);
    }
}
