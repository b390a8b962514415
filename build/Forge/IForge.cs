namespace Lading.Forge;

/// <summary>Where the release repo is reviewed: opens or refreshes the one pull/merge request of a branch.</summary>
public interface IForge : IDisposable
{
    /// <summary>"github", "gitlab" or "none", as a recipe names it.</summary>
    string Kind { get; }

    /// <summary>
    /// Opens a request from the proposal's source branch, or, when one is already open for that branch,
    /// brings its title, body and target up to date and returns it: a re-run never opens a second one.
    /// </summary>
    Task<PullRequestResult> ProposeAsync(PullRequestProposal proposal, CancellationToken ct);
}
