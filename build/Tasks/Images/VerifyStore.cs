using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Reporting;

namespace Lading.Tasks.Images;

[TaskName(nameof(VerifyStore))]
[TaskDescription("Re-hashes every blob of the content store (--cache), removes what is corrupt (the next build fetches it again) and what builds that are gone left in its tmp/")]
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

        if (report.AbandonedTemporaryFilesRemoved > 0)
        {
            context.Log.Information("removed {0} temporary file(s) of builds that are gone", report.AbandonedTemporaryFilesRemoved);
        }

        if (report.Remarked > 0)
        {
            context.Log.Information("marked {0} intact blob(s) stored without a mark, so reuse checks them with one stat", report.Remarked);
        }

        context.Record("checked", report.Checked.ToString());
        context.Record("removed", report.Removed.Count.ToString());
    }
}
