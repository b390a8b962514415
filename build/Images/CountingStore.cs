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

    private sealed class CountingStream(Stream inner, Action<long>? onBytes) : Stream
    {
        public long Count { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            Count += read;
            onBytes?.Invoke(read);
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            Count += read;
            onBytes?.Invoke(read);
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
