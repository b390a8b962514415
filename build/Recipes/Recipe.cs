namespace Lading.Recipes;

/// <summary>A setting's value as a recipe wrote it: one text or a list of texts.</summary>
public sealed record RecipeValue(IReadOnlyList<string> Items, SourceLocation Location)
{
    public string Text => string.Join(",", Items);
}

public sealed record Notification(string Kind, string UrlEnv, SourceLocation Location);

/// <summary>An OS package repository to build: its package list (os/&lt;distro&gt;-&lt;release&gt;.list), architecture and sources.</summary>
public sealed record OsTargetEntry(string List, string Architecture, IReadOnlyList<string> Sources, string? Image, SourceLocation Location);

public sealed record RecipeTarget(string Name, string? Description, IReadOnlyList<(string Task, SourceLocation Location)> DependsOn, SourceLocation Location);

/// <summary>One Jenkins pipeline's settings, read from a YAML file.</summary>
public sealed class Recipe
{
    public Recipe(string path) => Path = path;

    public string Path { get; }

    public Dictionary<string, RecipeValue> Values { get; } = new(StringComparer.Ordinal);

    public List<Notification> Notifications { get; } = [];

    public List<RecipeTarget> Targets { get; } = [];

    public List<OsTargetEntry> OsTargets { get; } = [];
}
