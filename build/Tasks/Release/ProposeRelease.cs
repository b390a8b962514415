using Cake.Core;
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
        var report = context.ReleaseReport;
        var planned = report.Tags.Count(t => t.Changed) + report.ImageLists.Count(l => l.Added.Count + l.Removed.Count > 0);
        var request = new ProposalRequest(BranchPrefix, version, title, $"{title}\n\n{report.TagTable()}\n", Notice(report, title), planned);
        context.RecordProposal(await context.Proposal.ProposeAsync(context.ReleaseRepo, request, CancellationToken.None));
        FailIfImagesAreMissing(context.ReleaseReport);
    }

    /// <summary>Missing images do not stop the proposal (it lists them for review), but the run ends failed so the job is red.</summary>
    internal static void FailIfImagesAreMissing(ReleaseReport report)
    {
        if (report.MissingImages.Count > 0)
        {
            throw new CakeException($"{report.MissingImages.Count} image(s) are missing from the internal registry; the proposal lists them for their owners:\n  " + string.Join("\n  ", report.MissingImages));
        }
    }

    private static ReleaseNotice Notice(ReleaseReport report, string title)
    {
        var tags = report.Tags;
        var details = new List<NoticeDetails>();
        if (report.MissingImages.Count > 0)
        {
            details.Add(MissingImages.Details(report.MissingImages));
        }

        if (report.ImageDiff() is { } diff)
        {
            details.Add(new NoticeDetails("Image lists", diff, IsMarkdown: true));
        }

        if (report.NotRendered.Count > 0)
        {
            details.Add(new NoticeDetails("Not rendered (exempt by the recipe; images from lists and annotations only)", string.Join('\n', report.NotRendered)));
        }

        if (report.Warnings.Count > 0)
        {
            details.Add(new NoticeDetails("Warnings", string.Join('\n', report.Warnings)));
        }

        // The owners of the components that move confirm their tags; the owners of charts missing images fix them.
        return new ReleaseNotice(title)
        {
            Summary = $"{tags.Count(t => t.Changed)} of {tags.Count} component(s) move to a new tag.",
            Table = tags.Count == 0 ? null : NoticeTable.Of(
                ["component", "old tag", "new tag", "tag date", "message", "owners"],
                tags.Select(t => (IReadOnlyList<string>)[t.Repo.RepositoryFullName, t.OldTag, t.NewTag, t.Date?.ToString("yyyy-MM-dd") ?? string.Empty, t.Subject ?? t.Note ?? string.Empty, string.Join(", ", t.Repo.Owners)])),
            Details = details,
            Mentions = tags.Where(t => t.Changed).SelectMany(t => t.Repo.Owners).Concat(report.OwnersOfMissing()).Distinct(StringComparer.Ordinal).ToList(),
        };
    }
}
