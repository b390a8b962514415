namespace Lading.Images;

/// <summary>Where fetched blobs and manifests go: content-addressed, verified, written atomically.</summary>
public interface IBlobStore
{
    bool Contains(Digest digest);

    /// <summary>
    /// Streams <paramref name="content"/> into the store under <paramref name="expected"/>, hashing while writing.
    /// A digest or size mismatch throws and leaves nothing under the final name.
    /// </summary>
    Task PutAsync(Digest expected, Stream content, long? expectedSize, CancellationToken cancellationToken);

    Stream OpenRead(Digest digest);

    /// <summary>The file holding the blob's bytes, for hard links.</summary>
    string PathOf(Digest digest);

    /// <summary>
    /// Before fetching a blob: null when the store holds it (a store shared with other builds may first wait for one
    /// of them to finish fetching it); otherwise a claim to dispose once the blob is stored or the fetch has failed.
    /// </summary>
    ValueTask<IAsyncDisposable?> ClaimAsync(Digest digest, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Contains(digest) ? null : (IAsyncDisposable?)BlobClaim.None);
}

/// <summary>A claim that holds nothing: for stores that no other build shares.</summary>
public sealed class BlobClaim : IAsyncDisposable
{
    public static readonly BlobClaim None = new();

    private BlobClaim()
    {
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
