using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;

namespace Lading.Images;

/// <summary>
/// The cache: every blob once, at <c>&lt;root&gt;/blobs/sha256/&lt;hex&gt;</c>, read-only. A blob is streamed into a
/// temporary file under the root, hashed on the way, flushed to disk, marked, and renamed into place, so its final
/// name only ever holds verified bytes. Builds (processes, machines) may share a store at once: its consistency rests
/// on rename alone (writers of one blob race on the rename, whichever lands first wins with identical bytes); that
/// each blob is fetched once rests on claims (see <see cref="ClaimAsync"/>).
/// </summary>
/// <remarks>
/// What is checked when: a blob is hashed in full as it is written, and again by <see cref="VerifyAsync"/>. On reuse
/// (every <see cref="Contains"/>) only its mark is checked, one stat: the modification time it was given when stored,
/// derived from its digest and size. A blob changed in place or resized since (any write moves that time) is hashed
/// in full then: kept and marked again when its bytes still match, else removed, so the build fetches it again.
/// </remarks>
public sealed partial class ContentStore : IBlobStore
{
    private const int BufferSize = 1 << 20;
    private const UnixFileMode ReadOnly = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// A temporary file whose writer cannot be asked (another machine, an older naming) is abandoned when nothing has
    /// written to it for this long; a live transfer writes every few seconds and gives up after a minute of silence.
    /// </summary>
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromHours(1);

    /// <summary>Marks are whole even seconds after this: every file system keeps them exactly.</summary>
    private static readonly DateTime MarkEpoch = new(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly Action<string>? _notice;
    private readonly List<Digest> _removedOnReuse = [];
    private readonly ConcurrentDictionary<Digest, (long Size, DateTime Modified)> _hashedUnmarked = new();
    private int _tidied;

    /// <param name="notice">Told, in a sentence, of each blob found changed in the store and removed.</param>
    public ContentStore(string root, Action<string>? notice = null)
    {
        Root = Path.GetFullPath(root);
        BlobFolder = Path.Combine(Root, "blobs", "sha256");
        TemporaryFolder = Path.Combine(Root, "tmp");
        _notice = notice;
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

    /// <summary>
    /// Whether the store holds the blob intact: one stat when its mark is in place; a full hash when it is not (the
    /// blob was changed since it was stored, or stored before marks), after which a good blob is marked again and a
    /// bad one removed.
    /// </summary>
    public bool Contains(Digest digest)
    {
        TidyOnce();
        var file = new FileInfo(PathOf(digest));
        if (!file.Exists)
        {
            return false;
        }

        if (file.LastWriteTimeUtc == MarkOf(digest, file.Length)
            || (_hashedUnmarked.TryGetValue(digest, out var seen) && seen == (file.Length, file.LastWriteTimeUtc)))
        {
            return true;
        }

        return Recheck(digest, file);
    }

    /// <summary>Blobs found changed in the store and removed by this instance, oldest first.</summary>
    public IReadOnlyList<Digest> RemovedOnReuse
    {
        get
        {
            lock (_removedOnReuse)
            {
                return [.. _removedOnReuse];
            }
        }
    }

    /// <summary>
    /// The mark a stored blob carries: a modification time derived from its digest and size. Any write to the file
    /// moves its modification time to the present, so a blob changed in place no longer carries its mark.
    /// </summary>
    public static DateTime MarkOf(Digest digest, long size)
    {
        var bits = Convert.ToUInt64(digest.Hex[..16], 16) ^ ((ulong)size * 0x9E3779B97F4A7C15UL);
        return MarkEpoch.AddSeconds(2 * (double)(bits % (1UL << 27)));
    }

    private bool Recheck(Digest digest, FileInfo file)
    {
        bool intact;
        try
        {
            using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize);
            intact = Digest.FromHash(SHA256.HashData(stream)) == digest;
        }
        catch (FileNotFoundException)
        {
            return false;
        }

        if (intact)
        {
            if (!TryMark(file.FullName, digest, file.Length))
            {
                // Not ours to mark (another user's store): hashed once per build, not at every look.
                _hashedUnmarked[digest] = (file.Length, file.LastWriteTimeUtc);
            }

            return true;
        }

        TryDelete(file.FullName);
        lock (_removedOnReuse)
        {
            _removedOnReuse.Add(digest);
        }

        _notice?.Invoke($"Blob {digest} in the image store {Root} no longer matches its digest (changed since it was stored); it was removed and is fetched again.");
        return false;
    }

    /// <summary>Marks a blob as stored intact; where the file is not ours to touch, it is simply hashed again on its next use.</summary>
    private static bool TryMark(string path, Digest digest, long size)
    {
        try
        {
            File.SetLastWriteTimeUtc(path, MarkOf(digest, size));
            return true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public string PathOf(Digest digest) => Path.Combine(BlobFolder, digest.Hex);

    public Stream OpenRead(Digest digest)
    {
        try
        {
            // Unbuffered: readers copy in large blocks, and a manifest of a few kilobytes needs no megabyte buffer.
            return new FileStream(PathOf(digest), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
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
        if (Contains(expected))
        {
            return;
        }

        Directory.CreateDirectory(BlobFolder);
        Directory.CreateDirectory(TemporaryFolder);
        CheckRoomFor(expected, expectedSize);
        var temporary = TemporaryPath(expected.Hex, "partial");
        try
        {
            var size = await WriteVerifiedAsync(expected, content, expectedSize, MaxBlobSize, temporary, cancellationToken);
            UnixFile.SetMode(temporary, ReadOnly);
            // Marked before it has its name: no reader ever finds the blob unmarked.
            File.SetLastWriteTimeUtc(temporary, MarkOf(expected, size));
            // Another build may have stored it meanwhile (a changed copy would be removed by the look).
            if (Contains(expected))
            {
                return;
            }

            // rename(2) replaces atomically: a reader sees the old file or ours, never half of either.
            File.Move(temporary, final, overwrite: true);
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
    /// Re-hashes every blob, removes each one whose bytes do not match its name (and marks again each one that does),
    /// and clears stray files and the temporary files and claims of builds that are gone. At most
    /// <paramref name="parallelism"/> blobs are read at once.
    /// </summary>
    public async Task<StoreVerification> VerifyAsync(int parallelism, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var removed = new ConcurrentBag<Digest>();
        var strays = new ConcurrentBag<string>();
        long bytes = 0;
        var checkedCount = 0;
        var remarked = 0;
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

            Digest actual;
            long length;
            await using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true))
            {
                actual = Digest.FromHash(await SHA256.HashDataAsync(stream, token));
                length = stream.Length;
            }

            Interlocked.Add(ref bytes, length);
            Interlocked.Increment(ref checkedCount);
            if (actual != digest)
            {
                removed.Add(digest);
                TryDelete(file);
            }
            else if (File.GetLastWriteTimeUtc(file) != MarkOf(digest, length))
            {
                TryMark(file, digest, length);
                Interlocked.Increment(ref remarked);
            }
        });

        var abandoned = RemoveAbandonedTemporaryFiles();
        return new StoreVerification(checkedCount, bytes, [.. removed.OrderBy(d => d.Hex)], [.. strays.Order()], abandoned, remarked);
    }

    /// <summary>
    /// Removes the temporary files and claims under <c>tmp/</c> that no running build will finish: those of a process
    /// of this machine that is gone, and those nobody has written to for an hour (a writer on another machine, or one
    /// named before writers were). Returns how many it removed.
    /// </summary>
    public int RemoveAbandonedTemporaryFiles()
    {
        if (!Directory.Exists(TemporaryFolder))
        {
            return 0;
        }

        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(TemporaryFolder))
        {
            if (IsAbandoned(file) && TryDelete(file))
            {
                removed++;
            }
        }

        return removed;
    }

    private bool IsAbandoned(string file)
    {
        var name = Path.GetFileName(file);
        var writer = name.EndsWith(ClaimSuffix, StringComparison.Ordinal) ? ReadClaim(file)?.Writer : WriterOfTemporary(name);
        if (writer?.IsRunning() is { } running)
        {
            return !running;
        }

        try
        {
            return DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > AbandonedAfter;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Once per store object, before its first use: what dead builds left in <c>tmp/</c> goes.</summary>
    private void TidyOnce()
    {
        if (Volatile.Read(ref _tidied) == 0 && Interlocked.Exchange(ref _tidied, 1) == 0)
        {
            RemoveAbandonedTemporaryFiles();
        }
    }

    /// <summary><c>tmp/&lt;hex&gt;.&lt;writer&gt;.&lt;unique&gt;.&lt;kind&gt;</c>: whose it is can be read back from the name.</summary>
    private string TemporaryPath(string hex, string kind) =>
        Path.Combine(TemporaryFolder, $"{hex}.{StoreWriter.Current}.{Guid.NewGuid():N}.{kind}");

    private static StoreWriter? WriterOfTemporary(string name)
    {
        var parts = name.Split('.');
        return parts.Length == 4 ? StoreWriter.Parse(parts[1]) : null;
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

    /// <summary>Streams the content into <paramref name="temporary"/>, hashing it; returns its size once it matched.</summary>
    private static async Task<long> WriteVerifiedAsync(Digest expected, Stream content, long? expectedSize, long maxSize, string temporary, CancellationToken cancellationToken)
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
            return written;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}

/// <summary>What <see cref="ContentStore.VerifyAsync"/> found.</summary>
public sealed record StoreVerification(
    int Checked,
    long Bytes,
    IReadOnlyList<Digest> Removed,
    IReadOnlyList<string> StrayFilesRemoved,
    int AbandonedTemporaryFilesRemoved,
    int Remarked = 0)
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
