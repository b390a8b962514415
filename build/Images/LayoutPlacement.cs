namespace Lading.Images;

/// <summary>What every layout writer does first for an image: find it whole in the store and hard-link its blobs into place.</summary>
internal static class LayoutPlacement
{
    /// <summary>
    /// Resolves the image from the store and links each of its blobs not placed yet to <paramref name="blobPath"/>;
    /// platforms not in the store are noted on the result.
    /// </summary>
    public static async Task<StoredImage> PlaceAsync(
        IBlobStore store,
        LayoutImage image,
        string layout,
        Func<Digest, string> blobPath,
        HashSet<Digest> placed,
        LayoutWriteResult result,
        Action<string, string, string>? onCopied,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        StoredImage stored;
        try
        {
            stored = await StoredImage.ResolveAsync(store, image.Manifest, cancellationToken);
        }
        catch (Exception error) when (error is BlobNotFoundException or ManifestException)
        {
            throw new ImageLayoutException($"Cannot write {image} into the {layout}: {error.Message}", error);
        }

        foreach (var digest in stored.AllDigests)
        {
            if (placed.Add(digest))
            {
                result.Count(HardLink.Place(store.PathOf(digest), blobPath(digest), onCopied));
                result.Placed(blobPath(digest), digest);
            }
        }

        foreach (var absent in stored.AbsentPlatforms)
        {
            result.Notice($"{image.RefName}: platform {absent.Platform?.ToString() ?? "?"} ({absent.Digest}) is not in the store and was left out");
        }

        return stored;
    }
}
