namespace Lading.Recipes;

/// <summary>
/// One setting of a pipeline: where a recipe writes it (<see cref="Key"/>, dotted for nested maps),
/// which environment variable and which --argument override it.
/// </summary>
public sealed record Setting(string Key, string? Argument, SettingKind Kind, string Description, string? Default = null, IReadOnlyList<string>? Choices = null)
{
    /// <summary>LADING_ followed by the argument in upper snake case (--release-repo: LADING_RELEASE_REPO).</summary>
    public string? Environment => Argument is null ? null : "LADING_" + Argument.Replace('-', '_').ToUpperInvariant();
}

/// <summary>One setting as a run resolved it, and where it came from (default, recipe file:line:column, variable, argument).</summary>
public sealed record SettingOrigin(string Key, string Value, string From);
