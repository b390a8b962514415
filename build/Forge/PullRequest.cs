namespace Lading.Forge;

/// <summary>
/// A change to review: the branch already pushed to <see cref="Project"/> (owner/name on GitHub, group/sub/name on GitLab)
/// and the branch it should be merged into. <see cref="Body"/> is Markdown.
/// </summary>
public sealed record PullRequestProposal(string Project, string SourceBranch, string TargetBranch, string Title, string Body)
{
    /// <summary>What a dry run prints: everything but the body.</summary>
    public override string ToString() => $"pull request from {SourceBranch} into {TargetBranch} on {Project}: {Title}";

    internal void Validate(string forge)
    {
        var missing = new (string Name, string Value)[] { ("project", Project), ("source branch", SourceBranch), ("target branch", TargetBranch), ("title", Title) }
            .Where(f => string.IsNullOrWhiteSpace(f.Value))
            .Select(f => f.Name)
            .ToList();
        if (missing.Count > 0)
        {
            throw new ForgeException(forge, Project ?? string.Empty, $"the pull request has no {string.Join(", no ", missing)}");
        }

        if (SourceBranch == TargetBranch)
        {
            throw new ForgeException(forge, Project, $"the pull request would merge {SourceBranch} into itself");
        }
    }
}

public enum PullRequestOutcome
{
    /// <summary>No request was open for the source branch: one was opened.</summary>
    Opened,

    /// <summary>A request was open for the source branch: its title, body or target were changed.</summary>
    Updated,

    /// <summary>A request was open for the source branch and already said the same: nothing was sent.</summary>
    Unchanged,

    /// <summary>The forge is 'none': nothing was opened.</summary>
    NotOpened,
}

/// <summary>The pull (GitHub) or merge (GitLab) request the proposal now lives in.</summary>
public sealed record PullRequestResult(string Forge, string Project, PullRequestOutcome Outcome, int? Number, string? Url)
{
    public bool OpenedNothing => Outcome is PullRequestOutcome.Unchanged or PullRequestOutcome.NotOpened;

    /// <summary>One line for the log and the summary.</summary>
    public string Describe()
    {
        var noun = Forge == GitLabForge.Name ? "merge request !" : "pull request #";
        return Outcome switch
        {
            PullRequestOutcome.Opened => $"opened {noun}{Number} on {Project}: {Url}",
            PullRequestOutcome.Updated => $"updated the open {noun}{Number} on {Project}: {Url}",
            PullRequestOutcome.Unchanged => $"{noun}{Number} on {Project} is already open and up to date; nothing opened: {Url}",
            _ => $"forge is 'none': no pull request opened on {Project}; the pushed branch is reviewed by hand",
        };
    }

    public override string ToString() => Describe();
}
