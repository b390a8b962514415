using Lading.Reporting;
using Microsoft.Extensions.Time.Testing;

namespace Lading.Tests.Host;

public sealed class ProgressTests
{
    [Fact]
    public async Task Plain_progress_writes_a_line_per_interval_and_one_when_an_item_ends()
    {
        var clock = new FakeTimeProvider();
        var lines = new List<string>();
        var progress = new PlainProgress(lines.Add, TimeSpan.FromSeconds(5), clock);

        await progress.RunAsync("SyncImages", scope =>
        {
            using var item = scope.Start("library/nginx:1.25.3", 10L << 20, ProgressUnit.Bytes);
            item.Advance(1L << 20);
            clock.Advance(TimeSpan.FromSeconds(2));
            item.Advance(1L << 20);
            clock.Advance(TimeSpan.FromSeconds(4));
            item.Advance(3L << 20);
            item.Advance(5L << 20);
            return Task.CompletedTask;
        });

        // The line at 5 s comes from the heartbeat: the item was not advanced then.
        Assert.Equal(
        [
            "SyncImages: started",
            "library/nginx:1.25.3: 2.0 MiB of 10.0 MiB (20%)",
            "library/nginx:1.25.3: 10.0 MiB of 10.0 MiB (100%) done",
            "SyncImages: done in 6.0s",
        ], lines);
    }

    [Fact]
    public async Task A_stuck_transfer_still_gets_a_line_every_interval()
    {
        var clock = new FakeTimeProvider();
        var lines = new List<string>();
        var progress = new PlainProgress(lines.Add, TimeSpan.FromSeconds(5), clock);

        await progress.RunAsync("DownloadFiles", scope =>
        {
            using var item = scope.Start("kubelet", 100, ProgressUnit.Bytes);
            item.Advance(40);
            clock.Advance(TimeSpan.FromSeconds(5));
            clock.Advance(TimeSpan.FromSeconds(5));
            clock.Advance(TimeSpan.FromSeconds(5));
            return Task.CompletedTask;
        });

        Assert.Equal(3, lines.Count(l => l == "kubelet: 40 B of 100 B (40%)"));
    }
}
