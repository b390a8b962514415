using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Files;

namespace Lading.Tasks.Files;

[TaskName(nameof(DownloadFiles))]
[TaskDescription("Downloads every file of files.list (bounded parallel, resumed with HTTP Range, sha256-verified, cached) as files/<host>/<path>, as Kubespray's files_repo expects")]
[CommandLine("./build.sh --target=DownloadFiles --files=files.list [--checksums=<file>] --output=<dir>")]
public sealed class DownloadFiles : AsyncFrostingTask<BuildContext>, IDryRunAware
{
    public override bool ShouldRun(BuildContext context) =>
        context.RunIf(context.FilesList is not null, "no files.list given (--files or offline.files)");

    public override async Task RunAsync(BuildContext context)
    {
        var list = FileList.Load(context.FilesList!, context.Offline.Checksums);
        var folder = Path.Combine(context.PackageBuild?.Staging ?? context.Paths.Output, "files");
        if (context.IsDryRun)
        {
            context.Log.Information("[dry run] would download:\n{0}", DownloadPlan.For(list.Entries, folder));
            return;
        }

        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var downloader = new Downloader(http, new DownloadOptions { Parallelism = context.Images.Concurrency, Cache = context.Paths.Cache, MaxFileSize = context.Images.MaxBlobSize });
        IReadOnlyList<DownloadedFile> files = [];
        await context.Progress.RunAsync("DownloadFiles", async scope =>
        {
            using var progress = new DownloadProgress(scope);
            files = await downloader.DownloadAsync(list.Entries, folder, progress, CancellationToken.None);
        });

        foreach (var group in files.GroupBy(f => f.Outcome))
        {
            context.Log.Information("{0}: {1} file(s)", group.Key, group.Count());
        }

        context.Record("files", files.Count.ToString());
        context.Record("bytes", files.Sum(f => f.Size).ToString());
        context.Record("folder", folder);
    }
}
