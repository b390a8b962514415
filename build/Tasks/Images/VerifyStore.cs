using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Reporting;

namespace Lading.Tasks.Images;

[TaskName(nameof(VerifyStore))]
[TaskDescription("Re-hashes every blob of the content store (--cache) and removes what is corrupt, so the next build fetches it again")]
[CommandLine("./build.sh --target=VerifyStore [--cache=<dir>]")]
public sealed class VerifyStore : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var store = context.ImageServices.Store;
        var report = await store.VerifyAsync(Environment.ProcessorCount, CancellationToken.None);
        context.Log.Information("{0}: {1} blob(s), {2} checked", store.Root, report.Checked, PlainProgress.Bytes(report.Bytes));
        foreach (var removed in report.Removed)
        {
            context.Log.Warning("removed corrupt blob {0}", removed);
        }

        foreach (var stray in report.StrayFilesRemoved)
        {
            context.Log.Warning("removed stray file {0}", stray);
        }

        context.Record("checked", report.Checked.ToString());
        context.Record("removed", report.Removed.Count.ToString());
    }
}
