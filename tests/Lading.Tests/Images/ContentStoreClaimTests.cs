using System.Runtime.Versioning;
using System.Security.Cryptography;
using Lading.Images;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Images;

/// <summary>Builds sharing a store claim a blob before fetching it, so only one of them fetches it.</summary>
[SupportedOSPlatform("linux")]
public sealed class ContentStoreClaimTests : IDisposable
{
    private readonly TempFolder _temp = new("lading-store-claims");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Of_two_builds_one_claims_the_blob_and_the_other_waits_until_it_is_stored()
    {
        var bytes = RandomNumberGenerator.GetBytes(10_000);
        var digest = Digest.Of(bytes);
        var first = new ContentStore(_temp.Path);
        var second = new ContentStore(_temp.Path);

        var claim = await first.ClaimAsync(digest, CancellationToken.None);
        var waiting = second.ClaimAsync(digest, CancellationToken.None).AsTask();
        await Task.Delay(300);
        var waitedWhileClaimed = !waiting.IsCompleted;
        await first.PutAsync(digest, new MemoryStream(bytes), bytes.Length, CancellationToken.None);
        await claim!.DisposeAsync();

        Assert.NotNull(claim);
        Assert.True(waitedWhileClaimed, "the second build fetched a blob the first had claimed");
        Assert.Null(await waiting.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Empty(Directory.GetFiles(first.TemporaryFolder));
    }

    [Fact]
    public async Task A_claim_released_without_the_blob_passes_to_a_waiting_build()
    {
        var digest = Digest.Of("a fetch that failed"u8);
        var first = new ContentStore(_temp.Path);
        var second = new ContentStore(_temp.Path);

        var claim = await first.ClaimAsync(digest, CancellationToken.None);
        var waiting = second.ClaimAsync(digest, CancellationToken.None).AsTask();
        await claim!.DisposeAsync();
        var taken = await waiting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotNull(taken);
        Assert.NotSame(BlobClaim.None, taken);
        await taken.DisposeAsync();
    }

    [Fact]
    public async Task The_claim_of_a_process_that_is_gone_is_broken_at_once()
    {
        var digest = Digest.Of("left by a killed build"u8);
        _temp.Write($"tmp/{digest.Hex}.claim", $"{ContentStoreTidyTests.DeadWriter()} 0123\n");
        var store = new ContentStore(_temp.Path);

        var claim = await store.ClaimAsync(digest, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotNull(claim);
        Assert.Contains(StoreWriter.Current.ToString(), File.ReadAllText(Path.Combine(store.TemporaryFolder, $"{digest.Hex}.claim")));
        await claim.DisposeAsync();
        Assert.Empty(Directory.GetFiles(store.TemporaryFolder));
    }

    [Fact]
    public async Task A_stored_blob_needs_no_claim()
    {
        var store = new ContentStore(_temp.Path);
        var digest = await store.PutAsync(RandomNumberGenerator.GetBytes(100), CancellationToken.None);

        Assert.Null(await store.ClaimAsync(digest, CancellationToken.None));
    }
}
