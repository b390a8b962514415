using Cake.Core.Diagnostics;
using Lading.Forge;
using Lading.Notify;
using Lading.Recipes;
using Lading.Release;
using Lading.Tools.Git;

namespace Lading;

/// <summary>Proposing a change of the release repo for review: one branch, one pull/merge request, one chat notice.</summary>
public sealed partial class BuildContext
{
    /// <summary>
    /// Commits every change of the release repo on <paramref name="branchPrefix"/>&lt;name or date&gt;, pushes it, opens or
    /// updates one pull request and, when one was opened or changed, posts <paramref name="notice"/>. Nothing changed: says so.
    /// </summary>
    public async Task ProposeAsync(string branchPrefix, string? name, string title, string commitMessage, ReleaseNotice notice)
    {
        var repo = ReleaseRepo;
        var git = this.Git();
        var directory = repo.Directory;
        if (repo.GitTopLevel is null)
        {
            throw new ReleaseException(new ReleaseProblem(repo.Source, "the release repo is no git repository, so there is nothing to propose from"));
        }

        var changes = git.Status(directory, ".");
        if (changes.Count == 0)
        {
            Log.Information("Nothing changed in the release repo since {0}: no proposal, no notice", repo.Branch ?? "HEAD");
            Record("proposal", "nothing changed; nothing opened");
            return;
        }

        var target = repo.Branch ?? throw new ReleaseException(new ReleaseProblem(repo.Source, "the release repo is on no branch; pass --branch"));
        var hasOrigin = git.Remotes(directory).Contains("origin");
        if (IsDryRun)
        {
            Log.Information("[dry run] would commit {0} change(s) on {1}{2} and propose it into {3}:\n{4}", changes.Count, branchPrefix, name ?? "<date-time>", target, notice.ToMarkdown(withTitle: true));
            return;
        }

        // The commit is made on a side branch; the work tree's own branch is left where it was.
        git.AddAll(directory, ".");
        git.Commit(directory, commitMessage, "Lading", "lading@localhost");
        var commit = git.RevParse(directory, "HEAD");
        git.ResetHard(directory, "HEAD~1");

        var branch = branchPrefix + (name ?? DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss"));
        if (hasOrigin)
        {
            // Without a name a re-run would make a new branch; one already proposing the same tree is reused instead.
            var same = name is null
                ? git.FetchBranches(directory, "origin", branchPrefix).FirstOrDefault(b => git.TreeOf(directory, $"refs/remotes/origin/{b}") == git.TreeOf(directory, commit))
                : null;
            if (same is not null)
            {
                branch = same;
                Log.Information("{0} already proposes this change", branch);
            }
            else
            {
                git.ForcePush(directory, "origin", commit, branch);
                Log.Information("Pushed {0} to origin", branch);
            }
        }
        else
        {
            git.CreateBranch(directory, branch, commit);
            Log.Warning("The release repo has no origin remote: the change is on the local branch {0} only", branch);
        }

        Record("branch", branch);
        var url = Settings.Text(SettingKeys.ForgeUrl) is { } u ? new Uri(u) : null;
        using var forge = Forges.Create(Settings.Text(SettingKeys.ForgeKind)!, new ForgeConnection(url, Settings.Secret(SettingKeys.ForgeTokenEnv) ?? string.Empty, Settings.Text(SettingKeys.ForgeTokenEnv)!));
        var result = await forge.ProposeAsync(new PullRequestProposal(Settings.Text(SettingKeys.ForgeProject) ?? string.Empty, branch, target, title, notice.ToMarkdown()), CancellationToken.None);
        Log.Information("{0}", result.Describe());
        Record("proposal", result.Describe());
        if (result.OpenedNothing)
        {
            Log.Information("No new pull request: {0}", result.Describe());
            return;
        }

        await NotifyAsync(result.Url is null ? notice : notice with { Link = new NoticeLink(result.Describe(), result.Url) });
    }
}
