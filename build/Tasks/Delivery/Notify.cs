using Cake.Frosting;
using Lading.Chat;
using Lading.Packaging;
using Lading.Reporting;

namespace Lading.Tasks.Delivery;

[TaskName(nameof(Notify))]
[TaskDescription("Posts the package built (name, size, sha256) to the recipe's chat webhooks; a failed notice is a warning")]
[CommandLine("part of Package")]
public sealed class Notify : AsyncFrostingTask<BuildContext>
{
    public override bool ShouldRun(BuildContext context) =>
        context.RunIf(context.Chats.AreNamed, "the recipe names no chat webhooks (notify:)");

    public override async Task RunAsync(BuildContext context)
    {
        var file = context.PackageFile ?? throw new PackageException("there is no package to announce: build one in this run");
        var build = context.PackageBuild ?? throw new PackageException("there is no package to announce: build one in this run");
        var notice = new ReleaseNotice($"Package {build.FullName} is ready")
        {
            Summary = $"{build.Charts.Count} chart(s), {build.PackagedImages.Count} image(s), {PlainProgress.Bytes(new FileInfo(file).Length)}",
            Table = NoticeTable.Of(["chart", "version"], build.Charts.Select(c => (IReadOnlyList<string>)[c.Name, c.Version])),
            Details = [new NoticeDetails("sha256", File.ReadAllText(file + ".sha256").Trim())],
        };
        context.RecordChats(await context.Chats.TellAsync(notice, CancellationToken.None));
    }
}
