using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Files;
using Lading.Recipes;
using Lading.Reporting;

namespace Lading.Tasks.Files;

[TaskName(nameof(DownloadFiles))]
[TaskDescription("Downloads every file of files.list (bounded parallel, resumed with HTTP Range, sha256-verified, cached) as files/<host>/<path>, as Kubespray's files_repo expects")]
public sealed class DownloadFiles : AsyncFrostingTask<BuildContext>, IDryRunAware
{
    public override bool ShouldRun(BuildContext context) =>
        context.RunIf(context.Settings.Has(SettingKeys.Files) || context.GeneratedLists is not null, "no files.list given (--files or offline.files)");

    public override async Task RunAsync(BuildContext context)
    {
        var listPath = context.Settings.Has(SettingKeys.Files) ? context.PathOf(SettingKeys.Files) : Path.Combine(context.GeneratedLists!, Lading.Kubespray.KubesprayLists.FilesName);
        var list = FileList.Load(listPath, context.Settings.Has(SettingKeys.Checksums) ? context.PathOf(SettingKeys.Checksums) : null);
        var folder = Path.Combine(context.Packaging?.Staging ?? context.OutputFolder, "files");
        if (context.IsDryRun)
        {
            context.Log.Information("[dry run] would download:\n{0}", DownloadPlan.For(list.Entries, folder));
            return;
        }

        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var downloader = new Downloader(http, new DownloadOptions
        {
            Parallelism = context.Settings.Number(SettingKeys.Concurrency),
            Cache = context.PathOf(SettingKeys.Cache),
        });
        IReadOnlyList<DownloadedFile> files = [];
        await context.Progress.RunAsync("DownloadFiles", async scope =>
        {
            var items = new Dictionary<string, (IProgressItem Item, long Done)>();
            var progress = new InlineProgress<FileProgress>(p =>
            {
                lock (items)
                {
                    if (!items.TryGetValue(p.RelativePath, out var known))
                    {
                        known = (scope.Start(p.RelativePath, p.BytesTotal ?? 0, ProgressUnit.Bytes), 0);
                    }

                    known.Item.Advance(p.BytesDone - known.Done);
                    items[p.RelativePath] = (known.Item, p.BytesDone);
                }
            });
            try
            {
                files = await downloader.DownloadAsync(list.Entries, folder, progress, CancellationToken.None);
            }
            finally
            {
                foreach (var (item, _) in items.Values)
                {
                    item.Dispose();
                }
            }
        });

        foreach (var group in files.GroupBy(f => f.Outcome))
        {
            context.Log.Information("{0}: {1} file(s)", group.Key, group.Count());
        }

        context.Record("files", files.Count.ToString());
        context.Record("bytes", files.Sum(f => f.Size).ToString());
        context.Record("folder", folder);
    }

    // Progress<T> would post reports to the thread pool, out of order.
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
