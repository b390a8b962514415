using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Frosting;
using Lading.Forge;
using Lading.Notify;
using Lading.Recipes;
using Lading.Release;
using Lading.Tools.Git;

namespace Lading.Tasks.Release;

[TaskName(nameof(ProposeRelease))]
[TaskDescription("Commits the release change on lading/release-<version|date>, pushes it, opens or updates one pull/merge request and posts the tag table to the chats")]
[IsDependentOn(typeof(UpdateImageLists))]
[IsDependentOn(typeof(Lading.Tasks.Images.CheckImages))]
[Needs(SettingKeys.ReleaseRepo)]
public sealed class ProposeRelease : AsyncFrostingTask<BuildContext>, IDryRunAware
{
    private const string BranchPrefix = "lading/release-";

    public override async Task RunAsync(BuildContext context)
    {
        var repo = context.ReleaseRepo;
        var git = context.Git();
        var directory = repo.Directory;
        if (repo.GitTopLevel is null)
        {
            throw new Lading.Release.ReleaseException(new ReleaseProblem(repo.Source, "the release repo is no git repository, so there is nothing to propose from"));
        }

        var changes = git.Status(directory, ".");
        if (changes.Count == 0)
        {
            context.Log.Information("Nothing changed in the release repo since {0}: no proposal, no notice", repo.Branch ?? "HEAD");
            context.Record("proposal", "nothing changed; nothing opened");
            return;
        }

        var version = context.Settings.Text(SettingKeys.Version);
        var title = version is null ? "Release: update components" : $"Release {version}";
        var notice = Notice(context, title);
        var target = repo.Branch ?? throw new Lading.Release.ReleaseException(new ReleaseProblem(repo.Source, "the release repo is on no branch; pass --branch"));
        var hasOrigin = git.Remotes(directory).Contains("origin");

        if (context.IsDryRun)
        {
            context.Log.Information("[dry run] would commit {0} change(s) on {1}{2} and propose it into {3}:\n{4}", changes.Count, BranchPrefix, version ?? "<date-time>", target, notice.ToMarkdown(withTitle: true));
            return;
        }

        // The commit is made on a side branch; the work tree's own branch is left where it was.
        git.AddAll(directory, ".");
        git.Commit(directory, $"{title}\n\n{context.Release.TagTable()}\n", "Lading", "lading@localhost");
        var commit = git.RevParse(directory, "HEAD");
        git.ResetHard(directory, "HEAD~1");

        var branch = BranchPrefix + (version ?? DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss"));
        if (hasOrigin)
        {
            // Without a version a re-run would name a new branch; one already proposing the same tree is reused instead.
            var same = version is null
                ? git.FetchBranches(directory, "origin", BranchPrefix).FirstOrDefault(b => git.TreeOf(directory, $"refs/remotes/origin/{b}") == git.TreeOf(directory, commit))
                : null;
            if (same is not null)
            {
                branch = same;
                context.Log.Information("{0} already proposes this change", branch);
            }
            else
            {
                git.ForcePush(directory, "origin", commit, branch);
                context.Log.Information("Pushed {0} to {1}", branch, "origin");
            }
        }
        else
        {
            git.CreateBranch(directory, branch, commit);
            context.Log.Warning("The release repo has no origin remote: the change is on the local branch {0} only", branch);
        }

        context.Record("branch", branch);
        var result = await Propose(context, new PullRequestProposal(context.Settings.Text(SettingKeys.ForgeProject) ?? string.Empty, branch, target, title, notice.ToMarkdown()));
        if (result.OpenedNothing)
        {
            context.Log.Information("No new pull request: {0}", result.Describe());
            return;
        }

        await context.NotifyAsync(result.Url is null ? notice : notice with { Link = new NoticeLink(result.Describe(), result.Url) });
    }

    private static async Task<PullRequestResult> Propose(BuildContext context, PullRequestProposal proposal)
    {
        var kind = context.Settings.Text(SettingKeys.ForgeKind)!;
        var tokenEnv = context.Settings.Text(SettingKeys.ForgeTokenEnv)!;
        var url = context.Settings.Text(SettingKeys.ForgeUrl) is { } u ? new Uri(u) : null;
        using var forge = Forges.Create(kind, new ForgeConnection(url, context.Settings.Secret(SettingKeys.ForgeTokenEnv) ?? string.Empty, tokenEnv));
        var result = await forge.ProposeAsync(proposal, CancellationToken.None);
        context.Log.Information("{0}", result.Describe());
        context.Record("proposal", result.Describe());
        return result;
    }

    private static ReleaseNotice Notice(BuildContext context, string title)
    {
        var tags = context.Release.Tags;
        var details = new List<NoticeDetails>();
        if (context.Release.ImageDiff() is { } diff)
        {
            details.Add(new NoticeDetails("Image lists", diff, IsMarkdown: true));
        }

        if (context.Release.Warnings.Count > 0)
        {
            details.Add(new NoticeDetails("Warnings", string.Join('\n', context.Release.Warnings)));
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
