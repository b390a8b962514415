namespace Lading.Images;

/// <summary>A store that counts what a sync really fetched, so a summary can tell fetched bytes from reused ones.</summary>
public sealed class CountingStore(IBlobStore inner, Action<long>? onBytes = null) : IBlobStore
{
    private long _fetchedBytes;
    private int _fetchedBlobs;

    public long FetchedBytes => Interlocked.Read(ref _fetchedBytes);

    public int FetchedBlobs => Volatile.Read(ref _fetchedBlobs);

    public bool Contains(Digest digest) => inner.Contains(digest);

    public ValueTask<IAsyncDisposable?> ClaimAsync(Digest digest, CancellationToken cancellationToken) => inner.ClaimAsync(digest, cancellationToken);

    public async Task PutAsync(Digest expected, Stream content, long? expectedSize, CancellationToken cancellationToken)
    {
        var counted = new CountingStream(content, onBytes);
        await inner.PutAsync(expected, counted, expectedSize, cancellationToken);
        Interlocked.Add(ref _fetchedBytes, counted.Count);
        Interlocked.Increment(ref _fetchedBlobs);
    }

    public Stream OpenRead(Digest digest) => inner.OpenRead(digest);

    public string PathOf(Digest digest) => inner.PathOf(digest);

    /// <summary>Counts what passes; the caller keeps the inner stream, so it is not disposed here.</summary>
    private sealed class CountingStream(Stream inner, Action<long>? onBytes) : ReadThroughStream(inner)
    {
        public long Count { get; private set; }

        protected override int Seen(ReadOnlySpan<byte> buffer, int read)
        {
            Count += read;
            onBytes?.Invoke(read);
            return read;
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}
