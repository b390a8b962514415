using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Notify;
using Lading.Reporting;

namespace Lading.Tasks.Package;

[TaskName(nameof(Notify))]
[TaskDescription("Posts the package built (name, size, sha256) to the recipe's chat webhooks; a failed notice is a warning")]
public sealed class Notify : AsyncFrostingTask<BuildContext>
{
    public override bool ShouldRun(BuildContext context) =>
        context.RunIf(context.Settings.Notifications.Count > 0, "the recipe names no chat webhooks (notify:)");

    public override async Task RunAsync(BuildContext context)
    {
        var file = context.PackageFile ?? throw new Lading.Packaging.PackageException("there is no package to announce: build one in this run");
        var build = context.Packaging ?? throw new Lading.Packaging.PackageException("there is no package to announce: build one in this run");
        var notice = new ReleaseNotice($"Package {build.FullName} is ready")
        {
            Summary = $"{build.Charts.Count} chart(s), {build.PackagedImages.Count} image(s), {PlainProgress.Bytes(new FileInfo(file).Length)}",
            Table = NoticeTable.Of(
                ["chart", "version"],
                build.Charts.Select(c => (IReadOnlyList<string>)[c.Name, c.Version])),
            Details = [new NoticeDetails("sha256", File.ReadAllText(file + ".sha256").Trim())],
        };
        await context.NotifyAsync(notice);
    }
}
