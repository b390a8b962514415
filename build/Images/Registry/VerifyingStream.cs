using System.Security.Cryptography;

namespace Lading.Images.Registry;

/// <summary>
/// Passes a blob's bytes through while hashing and counting them, and fails at the end when they are not the
/// bytes asked for, so a store never commits a short or foreign blob.
/// </summary>
internal sealed class VerifyingStream(Stream inner, Digest expected, long? expectedSize, Func<Digest, Exception> onWrongDigest) : ReadThroughStream(inner)
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _read;
    private bool _finished;

    public long BytesRead => _read;

    public override long Length => expectedSize ?? throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    // The inner stream is watched by the idle-timeout rule (IdleWatch): a stalled connection fails there.
    protected override int Seen(ReadOnlySpan<byte> buffer, int read)
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

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
