using System.Security.Cryptography;

namespace Lading.Images.Registry;

/// <summary>
/// Passes a blob's bytes through while hashing and counting them, and fails at the end when they are not the
/// bytes asked for, so a store never commits a short or foreign blob.
/// </summary>
internal sealed class VerifyingStream(Stream inner, Digest expected, long? expectedSize, Func<Digest, Exception> onWrongDigest) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _read;
    private bool _finished;

    public long BytesRead => _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => expectedSize ?? throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Account(buffer, inner.Read(buffer));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // The inner stream is watched by the idle-timeout rule (IdleWatch): a stalled connection fails there.
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        return Account(buffer.Span, read);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Account(Span<byte> buffer, int read)
    {
        if (read > 0)
        {
            _read += read;
            _hash.AppendData(buffer[..read]);
            if (expectedSize is { } tooFew && _read > tooFew)
            {
                throw onWrongDigest(Digest.FromHash(_hash.GetCurrentHash()));
            }

            return read;
        }

        if (!_finished)
        {
            _finished = true;
            if (expectedSize is { } size && _read < size)
            {
                // A short body is a dropped transfer, worth another attempt.
                throw new IOException($"the transfer ended after {_read} of {size} bytes");
            }

            var actual = Digest.FromHash(_hash.GetHashAndReset());
            if (actual != expected)
            {
                throw onWrongDigest(actual);
            }
        }

        return 0;
    }
}
