namespace Lading.Tools.Git;

/// <summary>A tag as `git ls-remote` shows it; annotated tags carry the commit they point to.</summary>
public sealed record GitRemoteTag(string Name, string ObjectId, string? CommitId)
{
    public bool IsAnnotated => CommitId is not null;
}
