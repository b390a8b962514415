using Lading.Chat;
using Lading.Forge;
using Lading.Tools.Git;

namespace Lading.Release;

/// <summary>A change of the release repo to propose: the branch it goes on (prefix + name, or a date), its title and commit message, and what the chats are told.</summary>
/// <param name="PlannedChanges">For a dry run, which writes nothing: how many changes the earlier steps would have made.</param>
public sealed record ProposalRequest(string BranchPrefix, string? Name, string Title, string CommitMessage, ReleaseNotice Notice, int PlannedChanges = 0);

/// <summary>Where a proposal ended: the branch it is on, the pull request (or why none), the chats told.</summary>
public sealed record ProposalOutcome(string? Branch, string? Proposal, ChatOutcome? Chats);

/// <summary>
/// Proposing a change of the release repo for review: one commit on a side branch, pushed, one pull/merge request
/// opened or updated, one chat notice when a request was opened or changed. Nothing changed: nothing is opened.
/// Used by the Release pipeline (tags, charts, lists) and the Kubespray pipeline (its lists).
/// </summary>
public sealed class ReleaseProposal(GitRunner git, Func<IForge> forge, string forgeProject, Chats chats, bool dryRun, Action<string> log, Action<string> warn)
{
    public async Task<ProposalOutcome> ProposeAsync(ReleaseWorkspace repo, ProposalRequest request, CancellationToken cancellationToken)
    {
        var directory = repo.Directory;
        if (repo.GitTopLevel is null)
        {
            throw new ReleaseException(new ReleaseProblem(repo.Source, "the release repo is no git repository, so there is nothing to propose from"));
        }

        var changes = git.Status(directory, ".");
        if (changes.Count == 0 && !(dryRun && request.PlannedChanges > 0))
        {
            log($"Nothing changed in the release repo since {repo.Branch ?? "HEAD"}: no proposal, no notice");
            return new ProposalOutcome(null, "nothing changed; nothing opened", null);
        }

        var target = repo.Branch ?? throw new ReleaseException(new ReleaseProblem(repo.Source, "the release repo is on no branch; pass --branch"));
        var hasOrigin = git.Remotes(directory).Contains("origin");
        if (dryRun)
        {
            log($"[dry run] would commit {Math.Max(changes.Count, request.PlannedChanges)} change(s) on {request.BranchPrefix}{request.Name ?? "<date-time>"} and propose it into {target}:\n{request.Notice.ToMarkdown(withTitle: true)}");
            return new ProposalOutcome(null, null, null);
        }

        // The commit is made on a side branch; the work tree's own branch is left where it was.
        git.AddAll(directory, ".");
        git.Commit(directory, request.CommitMessage, "Lading", "lading@localhost");
        var commit = git.RevParse(directory, "HEAD");
        git.ResetHard(directory, "HEAD~1");

        var branch = request.BranchPrefix + (request.Name ?? DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss"));
        if (hasOrigin)
        {
            // Without a name a re-run would make a new branch; one already proposing the same tree is reused instead.
            var same = request.Name is null
                ? git.FetchBranches(directory, "origin", request.BranchPrefix).FirstOrDefault(b => git.TreeOf(directory, $"refs/remotes/origin/{b}") == git.TreeOf(directory, commit))
                : null;
            if (same is not null)
            {
                branch = same;
                log($"{branch} already proposes this change");
            }
            else
            {
                git.ForcePush(directory, "origin", commit, branch);
                log($"Pushed {branch} to origin");
            }
        }
        else
        {
            git.CreateBranch(directory, branch, commit);
            warn($"The release repo has no origin remote: the change is on the local branch {branch} only");
        }

        using var opened = forge();
        var result = await opened.ProposeAsync(new PullRequestProposal(forgeProject, branch, target, request.Title, request.Notice.ToMarkdown()), cancellationToken);
        log(result.Describe());
        if (result.OpenedNothing)
        {
            log($"No new pull request: {result.Describe()}");
            return new ProposalOutcome(branch, result.Describe(), null);
        }

        var notice = result.Url is null ? request.Notice : request.Notice with { Link = new NoticeLink(result.Describe(), result.Url) };
        return new ProposalOutcome(branch, result.Describe(), await chats.TellAsync(notice, cancellationToken));
    }
}
