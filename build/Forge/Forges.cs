namespace Lading.Forge;

/// <summary>The forge a recipe's <c>forge.kind</c> names.</summary>
public static class Forges
{
    public static IReadOnlyList<string> Kinds { get; } = [GitHubForge.Name, GitLabForge.Name, NoForge.Name];

    /// <param name="kind">github, gitlab or none.</param>
    /// <param name="connection">Ignored for none.</param>
    public static IForge Create(string kind, ForgeConnection connection) =>
        kind.Trim().ToLowerInvariant() switch
        {
            GitHubForge.Name => new GitHubForge(connection),
            GitLabForge.Name => new GitLabForge(connection),
            NoForge.Name or "" => new NoForge(),
            _ => throw new ForgeException(kind, string.Empty, $"unknown forge '{kind}'; expected one of {string.Join(", ", Kinds)}"),
        };
}
