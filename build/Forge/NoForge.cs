namespace Lading.Forge;

/// <summary><c>forge: none</c>: the branch is pushed and reviewed by hand; nothing is opened.</summary>
public sealed class NoForge : IForge
{
    public const string Name = "none";

    public string Kind => Name;

    public Task<PullRequestResult> ProposeAsync(PullRequestProposal proposal, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(new PullRequestResult(Name, proposal.Project, PullRequestOutcome.NotOpened, null, null));
    }

    public void Dispose()
    {
    }
}
