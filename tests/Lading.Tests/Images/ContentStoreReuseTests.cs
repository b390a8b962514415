using System.Runtime.Versioning;
using System.Security.Cryptography;
using Lading.Images;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Images;

/// <summary>What the store checks when a blob is reused: its mark (one stat), and the full hash only when the mark is gone.</summary>
[SupportedOSPlatform("linux")]
public sealed class ContentStoreReuseTests : IDisposable
{
    private readonly TempFolder _temp = new("lading-store-reuse");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_stored_blob_carries_the_mark_of_its_digest_and_size()
    {
        var store = new ContentStore(_temp.Path);
        var bytes = RandomNumberGenerator.GetBytes(4096);

        var digest = await store.PutAsync(bytes, CancellationToken.None);

        Assert.Equal(ContentStore.MarkOf(digest, bytes.Length), File.GetLastWriteTimeUtc(store.PathOf(digest)));
        Assert.NotEqual(ContentStore.MarkOf(digest, bytes.Length), ContentStore.MarkOf(digest, bytes.Length + 1));
    }

    [Fact]
    public async Task A_blob_changed_in_place_with_the_same_size_is_not_reused_but_removed_and_reported()
    {
        var notices = new List<string>();
        var store = new ContentStore(_temp.Path, notices.Add);
        var bytes = RandomNumberGenerator.GetBytes(100_000);
        var digest = await store.PutAsync(bytes, CancellationToken.None);

        Corrupt(store.PathOf(digest), at: 50_000);

        Assert.Equal(bytes.Length, new FileInfo(store.PathOf(digest)).Length);
        Assert.False(store.Contains(digest));
        Assert.False(File.Exists(store.PathOf(digest)));
        Assert.Equal([digest], store.RemovedOnReuse);
        Assert.Contains($"Blob {digest} in the image store {store.Root} no longer matches its digest", Assert.Single(notices));
    }

    [Fact]
    public async Task A_changed_blob_is_replaced_when_it_is_stored_again()
    {
        var store = new ContentStore(_temp.Path);
        var bytes = RandomNumberGenerator.GetBytes(100_000);
        var digest = await store.PutAsync(bytes, CancellationToken.None);
        Corrupt(store.PathOf(digest), at: 10);

        await store.PutAsync(digest, new MemoryStream(bytes), bytes.Length, CancellationToken.None);

        Assert.Equal(bytes, await store.ReadAllBytesAsync(digest, CancellationToken.None));
        Assert.True(store.Contains(digest));
    }

    [Fact]
    public async Task An_intact_blob_without_its_mark_is_hashed_once_kept_and_marked_again()
    {
        var store = new ContentStore(_temp.Path);
        var bytes = RandomNumberGenerator.GetBytes(10_000);
        var digest = await store.PutAsync(bytes, CancellationToken.None);
        // As a copy of the store, or a store written before marks, would be.
        File.SetLastWriteTimeUtc(store.PathOf(digest), DateTime.UtcNow);

        Assert.True(store.Contains(digest));
        Assert.Equal(ContentStore.MarkOf(digest, bytes.Length), File.GetLastWriteTimeUtc(store.PathOf(digest)));
        Assert.Empty(store.RemovedOnReuse);
    }

    [Fact]
    public async Task VerifyStore_marks_again_the_intact_blobs_it_finds_unmarked()
    {
        var store = new ContentStore(_temp.Path);
        var digest = await store.PutAsync(RandomNumberGenerator.GetBytes(10_000), CancellationToken.None);
        File.SetLastWriteTimeUtc(store.PathOf(digest), DateTime.UtcNow);

        var report = await store.VerifyAsync(1, CancellationToken.None);

        Assert.True(report.WasClean);
        Assert.Equal(1, report.Remarked);
        Assert.Equal(ContentStore.MarkOf(digest, 10_000), File.GetLastWriteTimeUtc(store.PathOf(digest)));
    }

    /// <summary>Overwrites two bytes in place, as a faulty disk, a stray tool or a hand would.</summary>
    internal static void Corrupt(string path, long at)
    {
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.Position = at;
        file.WriteByte(0xde);
        file.WriteByte(0xad);
    }
}
