using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;

namespace Lading.Images;

/// <summary>
/// The cache: every blob once, at <c>&lt;root&gt;/blobs/sha256/&lt;hex&gt;</c>, read-only. A blob is streamed into a
/// temporary file under the root, hashed on the way, flushed to disk and renamed into place, so its final name only
/// ever holds verified bytes. Builds may share a store at once: writers of one blob race on the rename, and whichever
/// lands first wins with identical bytes.
/// </summary>
public sealed class ContentStore : IBlobStore
{
    private const int BufferSize = 1 << 20;
    private const UnixFileMode ReadOnly = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Temporary files older than this belong to a build that died; younger ones may be another build's.</summary>
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromHours(6);

    public ContentStore(string root)
    {
        Root = Path.GetFullPath(root);
        BlobFolder = Path.Combine(Root, "blobs", "sha256");
        TemporaryFolder = Path.Combine(Root, "tmp");
    }

    public string Root { get; }

    /// <summary>The largest blob a store accepts unless told otherwise: larger than any real layer, far below a disk.</summary>
    public const long DefaultMaxBlobSize = 16L << 30;

    /// <summary>
    /// Blobs announced larger are refused before a byte is written, and a blob of unknown size is cut off there: a source
    /// claiming a 10 TB layer, or streaming without end, never fills the disk.
    /// </summary>
    public long MaxBlobSize { get; init; } = DefaultMaxBlobSize;

    public string BlobFolder { get; }

    /// <summary>Inside the root, so the final rename never crosses a file system.</summary>
    public string TemporaryFolder { get; }

    public bool Contains(Digest digest) => File.Exists(PathOf(digest));

    public string PathOf(Digest digest) => Path.Combine(BlobFolder, digest.Hex);

    public Stream OpenRead(Digest digest)
    {
        try
        {
            return new FileStream(PathOf(digest), FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BlobNotFoundException(digest, $"at {Root}");
        }
    }

    public async Task<byte[]> ReadAllBytesAsync(Digest digest, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(PathOf(digest), cancellationToken);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BlobNotFoundException(digest, $"at {Root}");
        }
    }

    public long SizeOf(Digest digest) => new FileInfo(PathOf(digest)).Length;

    /// <summary>Stores bytes already in memory (a manifest, a config) and returns their digest.</summary>
    public async Task<Digest> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var digest = Digest.Of(content.Span);
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        await PutAsync(digest, stream, content.Length, cancellationToken);
        return digest;
    }

    /// <summary>
    /// Streams <paramref name="content"/> in under <paramref name="expected"/>. When the blob is already stored the
    /// stream is not read. A wrong size or digest throws <see cref="BlobMismatchException"/> and leaves nothing behind.
    /// </summary>
    public async Task PutAsync(Digest expected, Stream content, long? expectedSize, CancellationToken cancellationToken)
    {
        var final = PathOf(expected);
        if (File.Exists(final))
        {
            return;
        }

        Directory.CreateDirectory(BlobFolder);
        Directory.CreateDirectory(TemporaryFolder);
        CheckRoomFor(expected, expectedSize);
        var temporary = Path.Combine(TemporaryFolder, $"{expected.Hex}.{Environment.ProcessId}.{Guid.NewGuid():N}.partial");
        try
        {
            await WriteVerifiedAsync(expected, content, expectedSize, MaxBlobSize, temporary, cancellationToken);
            UnixFile.SetMode(temporary, ReadOnly);
            try
            {
                // Without overwrite the move fails when another writer got there first; its bytes are the same.
                File.Move(temporary, final, overwrite: false);
            }
            catch (IOException) when (File.Exists(final))
            {
            }

            UnixFile.SyncFolder(BlobFolder);
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    /// <summary>
    /// Remembers the manifest a tag pointed to when it was fetched, so a warm re-package can find an image without
    /// asking its registry. Whether to trust it (tags move) is the caller's choice.
    /// </summary>
    public void RememberTag(ImageReference reference, Descriptor manifest)
    {
        var path = TagPath(reference);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllText(temporary, JsonSerializer.Serialize(new TagRecord(manifest.MediaType, manifest.Digest.ToString(), manifest.Size)));
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    /// <summary>The manifest a tag pointed to when last fetched, or null when unknown or no longer in the store.</summary>
    public Descriptor? RecallTag(ImageReference reference)
    {
        var path = TagPath(reference);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var record = JsonSerializer.Deserialize<TagRecord>(File.ReadAllText(path));
            return record is not null && Digest.TryParse(record.Digest, out var digest) && Contains(digest)
                ? new Descriptor(record.MediaType, digest, record.Size)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // "_tags" cannot be a repository path component, so repository a/b's tags never meet repository a/b/c.
    private string TagPath(ImageReference reference) =>
        Path.Combine(Root, "tags", reference.Registry, reference.Repository, "_tags",
            reference.Tag ?? throw new ArgumentException($"{reference} has no tag to remember.", nameof(reference)));

    private sealed record TagRecord(string MediaType, string Digest, long Size);

    /// <summary>The digests of every stored blob.</summary>
    public IEnumerable<Digest> List()
    {
        if (!Directory.Exists(BlobFolder))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(BlobFolder))
        {
            if (Digest.TryParse("sha256:" + Path.GetFileName(file), out var digest))
            {
                yield return digest;
            }
        }
    }

    /// <summary>
    /// Re-hashes every blob, removes each one whose bytes do not match its name, and clears stray and abandoned
    /// temporary files. At most <paramref name="parallelism"/> blobs are read at once.
    /// </summary>
    public async Task<StoreVerification> VerifyAsync(int parallelism, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var removed = new ConcurrentBag<Digest>();
        var strays = new ConcurrentBag<string>();
        long bytes = 0;
        var checkedCount = 0;
        var files = Directory.Exists(BlobFolder) ? Directory.GetFiles(BlobFolder) : [];
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(files, options, async (file, token) =>
        {
            if (!Digest.TryParse("sha256:" + Path.GetFileName(file), out var digest))
            {
                strays.Add(file);
                TryDelete(file);
                return;
            }

            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
            var actual = Digest.FromHash(await SHA256.HashDataAsync(stream, token));
            Interlocked.Add(ref bytes, stream.Length);
            Interlocked.Increment(ref checkedCount);
            if (actual != digest)
            {
                removed.Add(digest);
                TryDelete(file);
            }
        });

        var abandoned = 0;
        if (Directory.Exists(TemporaryFolder))
        {
            foreach (var file in Directory.GetFiles(TemporaryFolder))
            {
                if (DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > AbandonedAfter)
                {
                    TryDelete(file);
                    abandoned++;
                }
            }
        }

        return new StoreVerification(checkedCount, bytes, [.. removed.OrderBy(d => d.Hex)], [.. strays.Order()], abandoned);
    }

    /// <summary>Refuses a blob larger than the limit, or than the free space of the store's file system, before it is fetched.</summary>
    private void CheckRoomFor(Digest digest, long? size)
    {
        if (size > MaxBlobSize)
        {
            throw new BlobTooLargeException(digest, size.Value, $"the largest blob accepted is {MaxBlobSize} bytes (--max-blob-gib)");
        }

        var free = new DriveInfo(TemporaryFolder).AvailableFreeSpace;
        if (size > free)
        {
            throw new BlobTooLargeException(digest, size.Value, $"the store {Root} has {free} bytes free");
        }
    }

    private static async Task WriteVerifiedAsync(Digest expected, Stream content, long? expectedSize, long maxSize, string temporary, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long written = 0;
        try
        {
            await using var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                written += read;
                if (written > expectedSize)
                {
                    throw new BlobMismatchException(expected, null, expectedSize, written, "it is longer than announced");
                }

                if (written > maxSize)
                {
                    throw new BlobTooLargeException(expected, written, $"the largest blob accepted is {maxSize} bytes (--max-blob-gib), and its source announced no size");
                }

                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            if (expectedSize is { } size && written != size)
            {
                throw new BlobMismatchException(expected, null, expectedSize, written, "it is shorter than announced (a dropped connection?)");
            }

            var actual = Digest.FromHash(hash.GetHashAndReset());
            if (actual != expected)
            {
                throw new BlobMismatchException(expected, actual, expectedSize, written, "its bytes hash to another digest");
            }

            file.Flush(flushToDisk: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>What <see cref="ContentStore.VerifyAsync"/> found.</summary>
public sealed record StoreVerification(
    int Checked,
    long Bytes,
    IReadOnlyList<Digest> Removed,
    IReadOnlyList<string> StrayFilesRemoved,
    int AbandonedTemporaryFilesRemoved)
{
    public bool WasClean => Removed.Count == 0 && StrayFilesRemoved.Count == 0;
}

/// <summary>A blob's bytes did not match the digest or size it was announced with; nothing was stored.</summary>
public sealed class BlobMismatchException(Digest expected, Digest? actual, long? expectedSize, long actualSize, string why)
    : IOException(
        $"Blob {expected} was rejected: {why} " +
        $"(expected {expected}{(expectedSize is null ? string.Empty : $", {expectedSize} bytes")}; " +
        $"got {(actual is null ? "unhashed" : actual.ToString())}, {actualSize} bytes). Nothing was stored.")
{
    public Digest Expected { get; } = expected;

    public Digest? Actual { get; } = actual;

    public long? ExpectedSize { get; } = expectedSize;

    public long ActualSize { get; } = actualSize;
}

/// <summary>A blob larger than the store accepts or has room for; nothing was stored, and asking again would not help.</summary>
public sealed class BlobTooLargeException(Digest digest, long size, string why)
    : Exception($"Blob {digest} was refused: it is {size} bytes or more, and {why}. Nothing was stored.")
{
    public Digest Digest { get; } = digest;
}

/// <summary>A blob the work needs is not in the store.</summary>
public sealed class BlobNotFoundException(Digest digest, string where)
    : FileNotFoundException($"Blob {digest} is not in the image store {where}; fetch the image again.")
{
    public Digest Digest { get; } = digest;
}
