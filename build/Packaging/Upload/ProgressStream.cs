namespace Lading.Packaging.Upload;

/// <summary>Reads through to a file, counting bytes for progress, so a PUT body is streamed and never held in memory; seekable, so a retry starts it again.</summary>
internal sealed class ProgressStream(Stream inner, IProgress<long>? progress) : ReadThroughStream(inner)
{
    private long _read;

    public override bool CanSeek => Inner.CanSeek;

    public override long Position
    {
        get => Inner.Position;
        set
        {
            Inner.Position = value;
            _read = value;
        }
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var position = Inner.Seek(offset, origin);
        _read = position;
        return position;
    }

    protected override int Seen(ReadOnlySpan<byte> buffer, int read)
    {
        if (read > 0)
        {
            _read += read;
            progress?.Report(_read);
        }

        return read;
    }
}
