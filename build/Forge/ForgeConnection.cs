namespace Lading.Forge;

/// <summary>
/// How to reach a forge: its API address (null for github.com or gitlab.com), the token, and the name of the
/// environment variable the token came from, which messages name instead of the token.
/// </summary>
public sealed record ForgeConnection(Uri? ApiUrl, string Token, string TokenEnv)
{
    /// <summary>How long one API call may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    // A record's generated ToString would print the token.
    public override string ToString() => $"{ApiUrl?.ToString() ?? "default API"} with the token in {TokenEnv}";

    internal void RequireToken(string forge, string project)
    {
        if (string.IsNullOrWhiteSpace(Token))
        {
            throw new ForgeException(forge, project, $"no token: the environment variable {TokenEnv} is empty or not set");
        }
    }

    /// <summary>Removes the token from text that came from outside (an API's error message), should it ever echo it.</summary>
    internal string Scrub(string text) =>
        Token.Length >= 4 ? text.Replace(Token, "***", StringComparison.Ordinal) : text;
}
