using System.Runtime.Versioning;
using System.Security.Cryptography;
using Lading.Images;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Images;

[SupportedOSPlatform("linux")]
public class ContentStoreTests : IDisposable
{
    private readonly TempFolder temp = new("lading-store");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task A_blob_is_stored_by_digest_read_only_and_reads_back()
    {
        var store = new ContentStore(temp.Path);
        var bytes = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        var digest = Digest.Of(bytes);

        await store.PutAsync(digest, new MemoryStream(bytes), bytes.Length, CancellationToken.None);

        Assert.Equal(Path.Combine(temp.Path, "blobs", "sha256", digest.Hex), store.PathOf(digest));
        Assert.True(store.Contains(digest));
        Assert.Equal(bytes, await store.ReadAllBytesAsync(digest, CancellationToken.None));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(store.PathOf(digest)));
        Assert.Equal([digest], store.List());
        Assert.Empty(Directory.GetFiles(store.TemporaryFolder));
    }

    [Fact]
    public async Task Bytes_with_another_digest_are_rejected_naming_both_digests_and_leave_nothing()
    {
        var store = new ContentStore(temp.Path);
        var bytes = RandomNumberGenerator.GetBytes(1000);
        var claimed = Digest.Of("something else"u8);

        var error = await Assert.ThrowsAsync<BlobMismatchException>(() => store.PutAsync(claimed, new MemoryStream(bytes), bytes.Length, CancellationToken.None));

        Assert.Contains($"expected {claimed}", error.Message);
        Assert.Contains($"got {Digest.Of(bytes)}", error.Message);
        Assert.Equal(Digest.Of(bytes), error.Actual);
        Assert.False(store.Contains(claimed));
        AssertNothingStored(store);
    }

    [Fact]
    public async Task A_truncated_blob_is_rejected_and_leaves_nothing()
    {
        var store = new ContentStore(temp.Path);
        var bytes = RandomNumberGenerator.GetBytes(5000);

        var error = await Assert.ThrowsAsync<BlobMismatchException>(
            () => store.PutAsync(Digest.Of(bytes), new MemoryStream(bytes[..4000]), bytes.Length, CancellationToken.None));

        Assert.Contains("shorter than announced", error.Message);
        AssertNothingStored(store);
    }

    [Fact]
    public async Task A_blob_longer_than_announced_is_rejected_and_leaves_nothing()
    {
        var store = new ContentStore(temp.Path);
        var bytes = RandomNumberGenerator.GetBytes(5000);

        var error = await Assert.ThrowsAsync<BlobMismatchException>(
            () => store.PutAsync(Digest.Of(bytes), new MemoryStream(bytes), 100, CancellationToken.None));

        Assert.Contains("longer than announced", error.Message);
        AssertNothingStored(store);
    }

    [Fact]
    public async Task A_write_cancelled_midway_leaves_nothing()
    {
        var store = new ContentStore(temp.Path);
        var bytes = RandomNumberGenerator.GetBytes(4 * 1024 * 1024);
        using var cancel = new CancellationTokenSource();
        var stream = new SlowStream(bytes, chunk: 64 * 1024, afterChunk: n => { if (n == 3) { cancel.Cancel(); } });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.PutAsync(Digest.Of(bytes), stream, bytes.Length, cancel.Token));

        AssertNothingStored(store);
    }

    [Fact]
    public async Task A_stored_blob_is_not_read_again()
    {
        var store = new ContentStore(temp.Path);
        var digest = await store.PutAsync("config"u8.ToArray(), CancellationToken.None);
        var stream = new SlowStream("config"u8.ToArray(), chunk: 1, afterChunk: _ => throw new InvalidOperationException("read twice"));

        await store.PutAsync(digest, stream, 6, CancellationToken.None);

        Assert.True(store.Contains(digest));
    }

    [Fact]
    public async Task Concurrent_writers_of_one_blob_end_with_one_valid_file()
    {
        var bytes = RandomNumberGenerator.GetBytes(2 * 1024 * 1024);
        var digest = Digest.Of(bytes);

        // Separate store objects share nothing in memory, as two builds in two processes would.
        var writers = Enumerable.Range(0, 12).Select(i => Task.Run(() =>
            new ContentStore(temp.Path).PutAsync(digest, new SlowStream(bytes, chunk: 32 * 1024 + i, afterChunk: _ => Thread.Yield()), bytes.Length, CancellationToken.None)));
        await Task.WhenAll(writers);

        var store = new ContentStore(temp.Path);
        Assert.Equal([digest.Hex], Directory.GetFiles(store.BlobFolder).Select(Path.GetFileName));
        Assert.Equal(bytes, await store.ReadAllBytesAsync(digest, CancellationToken.None));
        Assert.Empty(Directory.GetFiles(store.TemporaryFolder));
    }

    [Fact]
    public async Task Concurrent_good_and_bad_writers_never_leave_corrupt_bytes()
    {
        var bytes = RandomNumberGenerator.GetBytes(1024 * 1024);
        var bad = bytes.ToArray();
        bad[^1] ^= 0xff;
        var digest = Digest.Of(bytes);

        var writers = Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            try
            {
                await new ContentStore(temp.Path).PutAsync(digest, new SlowStream(i % 2 == 0 ? bytes : bad, 16 * 1024, _ => Thread.Yield()), bytes.Length, CancellationToken.None);
                return true;
            }
            catch (BlobMismatchException)
            {
                return false;
            }
        })).ToList();
        var outcomes = await Task.WhenAll(writers);

        Assert.Contains(true, outcomes);
        Assert.Equal(bytes, await new ContentStore(temp.Path).ReadAllBytesAsync(digest, CancellationToken.None));
    }

    [Fact]
    public async Task Verify_removes_corrupt_blobs_and_strays_and_keeps_good_ones()
    {
        var store = new ContentStore(temp.Path);
        var good = await store.PutAsync(RandomNumberGenerator.GetBytes(10_000), CancellationToken.None);
        var corrupt = await store.PutAsync(RandomNumberGenerator.GetBytes(10_000), CancellationToken.None);
        File.SetUnixFileMode(store.PathOf(corrupt), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using (var file = new FileStream(store.PathOf(corrupt), FileMode.Open, FileAccess.Write))
        {
            file.Position = 5000;
            file.WriteByte(0);
            file.WriteByte(1);
        }

        var stray = temp.Write("blobs/sha256/notes.txt", "x");
        var abandoned = temp.Write("tmp/" + good.Hex + ".1.x.partial", "half");
        File.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow.AddDays(-2));
        var inProgress = temp.Write("tmp/" + good.Hex + ".2.y.partial", "half");

        var report = await store.VerifyAsync(parallelism: 2, CancellationToken.None);

        Assert.Equal(2, report.Checked);
        Assert.Equal(20_000, report.Bytes);
        Assert.Equal([corrupt], report.Removed);
        Assert.Equal([stray], report.StrayFilesRemoved);
        Assert.Equal(1, report.AbandonedTemporaryFilesRemoved);
        Assert.False(report.WasClean);
        Assert.True(store.Contains(good));
        Assert.False(store.Contains(corrupt));
        Assert.False(File.Exists(abandoned));
        Assert.True(File.Exists(inProgress));
        Assert.True((await store.VerifyAsync(1, CancellationToken.None)).WasClean);
    }

    [Fact]
    public async Task A_remembered_tag_is_recalled_while_its_manifest_is_stored()
    {
        var store = new ContentStore(temp.Path);
        var manifest = await store.PutAsync("{}"u8.ToArray(), CancellationToken.None);
        var descriptor = new Descriptor(MediaTypes.OciManifest, manifest, 2);
        var reference = ImageReference.Parse("10.0.0.5:5000/library/nginx:1.25.3");

        store.RememberTag(reference, descriptor);
        store.RememberTag(ImageReference.Parse("10.0.0.5:5000/library/nginx/extra:1.25.3"), new Descriptor(MediaTypes.OciManifest, Digest.Of("x"u8), 1));

        Assert.Equal(descriptor, store.RecallTag(reference));
        Assert.Null(store.RecallTag(reference.WithTag("1.25.4")));
        Assert.Null(store.RecallTag(ImageReference.Parse("library/nginx/extra:1.25.3").WithRegistry("10.0.0.5:5000")));
        File.Delete(store.PathOf(manifest));
        Assert.Null(store.RecallTag(reference));
    }

    [Fact]
    public void Reading_a_missing_blob_names_the_digest_and_the_store()
    {
        var store = new ContentStore(temp.Path);
        var digest = Digest.Of("absent"u8);

        var error = Assert.Throws<BlobNotFoundException>(() => store.OpenRead(digest));

        Assert.Contains(digest.ToString(), error.Message);
        Assert.Contains(temp.Path, error.Message);
    }

    private static void AssertNothingStored(ContentStore store)
    {
        Assert.Empty(store.List());
        Assert.True(!Directory.Exists(store.BlobFolder) || Directory.GetFiles(store.BlobFolder).Length == 0);
        Assert.True(!Directory.Exists(store.TemporaryFolder) || Directory.GetFiles(store.TemporaryFolder).Length == 0);
    }
}

/// <summary>A stream that hands out its bytes in small reads, calling back after each, to interleave writers.</summary>
internal sealed class SlowStream(byte[] bytes, int chunk, Action<int> afterChunk) : Stream
{
    private int position;
    private int chunks;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => bytes.Length;

    public override long Position { get => position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = Math.Min(Math.Min(count, chunk), bytes.Length - position);
        Array.Copy(bytes, position, buffer, offset, n);
        position += n;
        if (n > 0)
        {
            afterChunk(++chunks);
        }

        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await Task.Yield();
        var n = Math.Min(Math.Min(buffer.Length, chunk), bytes.Length - position);
        bytes.AsMemory(position, n).CopyTo(buffer);
        position += n;
        if (n > 0)
        {
            afterChunk(++chunks);
        }

        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
