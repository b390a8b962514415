namespace Lading.Tools.Git;

/// <summary>What a name given as a ref turned out to be.</summary>
public enum GitRefKind
{
    Tag,
    Branch,
    Commit,
}
