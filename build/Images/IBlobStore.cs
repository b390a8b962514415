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
}
