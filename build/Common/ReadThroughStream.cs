namespace Lading.Common;

/// <summary>
/// A read-only, forward-only stream over another that sees every read on its way: the base of the streams that count,
/// watch or verify bytes. Disposing it disposes the inner stream.
/// </summary>
public abstract class ReadThroughStream(Stream inner) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => throw new NotSupportedException();
    }

    protected Stream Inner => inner;

    public sealed override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public sealed override int Read(Span<byte> buffer) => Seen(buffer, inner.Read(buffer));

    public sealed override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public sealed override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await ReadInnerAsync(buffer, cancellationToken);
        return Seen(buffer.Span, read);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Reads the inner stream; a stream that bounds waiting adds its own cancellation here.</summary>
    protected virtual ValueTask<int> ReadInnerAsync(Memory<byte> buffer, CancellationToken cancellationToken) => inner.ReadAsync(buffer, cancellationToken);

    /// <summary>Sees what one read gave (<paramref name="read"/> bytes at the start of <paramref name="buffer"/>; none at the end) and returns the count.</summary>
    protected abstract int Seen(ReadOnlySpan<byte> buffer, int read);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
