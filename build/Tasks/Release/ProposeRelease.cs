using Cake.Frosting;
using Lading.Chat;
using Lading.Recipes;
using Lading.Release;

namespace Lading.Tasks.Release;

[TaskName(nameof(ProposeRelease))]
[TaskDescription("Commits the release change on lading/release-<version|date>, pushes it, opens or updates one pull/merge request and posts the tag table to the chats")]
[CommandLine("./build.sh --target=ProposeRelease --recipe=...")]
[IsDependentOn(typeof(UpdateImageLists))]
[IsDependentOn(typeof(Lading.Tasks.Images.CheckImages))]
[Needs(SettingKeys.ReleaseRepo)]
public sealed class ProposeRelease : AsyncFrostingTask<BuildContext>, IDryRunAware
{
    private const string BranchPrefix = "lading/release-";

    public override async Task RunAsync(BuildContext context)
    {
        var version = context.Release.Version;
        var title = version is null ? "Release: update components" : $"Release {version}";
        var request = new ProposalRequest(BranchPrefix, version, title, $"{title}\n\n{context.ReleaseReport.TagTable()}\n", Notice(context.ReleaseReport, title));
        context.RecordProposal(await context.Proposal.ProposeAsync(context.ReleaseRepo, request, CancellationToken.None));
    }

    private static ReleaseNotice Notice(ReleaseReport report, string title)
    {
        var tags = report.Tags;
        var details = new List<NoticeDetails>();
        if (report.ImageDiff() is { } diff)
        {
            details.Add(new NoticeDetails("Image lists", diff, IsMarkdown: true));
        }

        if (report.Warnings.Count > 0)
        {
            details.Add(new NoticeDetails("Warnings", string.Join('\n', report.Warnings)));
        }

        return new ReleaseNotice(title)
        {
            Summary = $"{tags.Count(t => t.Changed)} of {tags.Count} component(s) move to a new tag.",
            Table = tags.Count == 0 ? null : NoticeTable.Of(
                ["component", "old tag", "new tag", "tag date", "message"],
                tags.Select(t => (IReadOnlyList<string>)[t.Repo.RepositoryFullName, t.OldTag, t.NewTag, t.Date?.ToString("yyyy-MM-dd") ?? string.Empty, t.Subject ?? t.Note ?? string.Empty])),
            Details = details,
        };
    }
}
