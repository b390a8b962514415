using System.Diagnostics;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using Lading.Images;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Images;

/// <summary>What builds that died left in the store's tmp/ goes with the next build, or VerifyStore, not hours later.</summary>
[SupportedOSPlatform("linux")]
public sealed class ContentStoreTidyTests : IDisposable
{
    private readonly TempFolder _temp = new("lading-store-tidy");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_writer_is_named_by_host_process_and_start_and_judged_alive_only_while_that_process_runs()
    {
        var me = StoreWriter.Current;
        var dead = DeadWriter();

        Assert.Equal(me, StoreWriter.Parse(me.ToString()));
        Assert.Equal(Environment.ProcessId, me.ProcessId);
        Assert.True(me.IsRunning());
        Assert.False(dead.IsRunning());
        Assert.False((me with { Started = me.Started + 1 }).IsRunning());
        Assert.Null((me with { Host = "other-agent" }).IsRunning());
        Assert.Null(StoreWriter.Parse("42"));
    }

    [Fact]
    public async Task The_next_use_of_the_store_removes_the_temporary_files_of_processes_that_are_gone_at_once()
    {
        var hex = Digest.Of("x"u8).Hex;
        var dead = _temp.Write($"tmp/{hex}.{DeadWriter()}.a.partial", "half a blob");
        var mine = _temp.Write($"tmp/{hex}.{StoreWriter.Current}.b.partial", "being written");
        var elsewhereNow = _temp.Write($"tmp/{hex}.other-agent_77_123.c.partial", "being written elsewhere");
        var elsewhereLongAgo = _temp.Write($"tmp/{hex}.other-agent_78_123.d.partial", "left elsewhere");
        File.SetLastWriteTimeUtc(elsewhereLongAgo, DateTime.UtcNow.AddHours(-2));
        var store = new ContentStore(_temp.Path);

        await store.PutAsync(RandomNumberGenerator.GetBytes(100), CancellationToken.None);

        Assert.False(File.Exists(dead));
        Assert.False(File.Exists(elsewhereLongAgo));
        Assert.True(File.Exists(mine));
        Assert.True(File.Exists(elsewhereNow));
    }

    [Fact]
    public async Task VerifyStore_removes_the_temporary_files_and_claims_of_processes_that_are_gone()
    {
        var hex = Digest.Of("y"u8).Hex;
        var dead = DeadWriter();
        _temp.Write($"tmp/{hex}.{dead}.a.partial", "half a blob");
        _temp.Write($"tmp/{hex}.claim", $"{dead} 0123\n");
        var store = new ContentStore(_temp.Path);

        var report = await store.VerifyAsync(1, CancellationToken.None);

        Assert.Equal(2, report.AbandonedTemporaryFilesRemoved);
        Assert.Empty(Directory.GetFiles(store.TemporaryFolder));
    }

    /// <summary>A process of this machine that has exited.</summary>
    internal static StoreWriter DeadWriter()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return StoreWriter.Current with { ProcessId = process.Id, Started = 1 };
    }
}
