namespace Lading.Recipes;

/// <summary>A place in a recipe file; line and column count from 1.</summary>
public sealed record SourceLocation(string File, long Line, long Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}

public sealed record RecipeProblem(string Where, string Message)
{
    public override string ToString() => $"{Where}: {Message}";
}

/// <summary>Everything wrong with a recipe, the command line or the environment, reported at once before any task runs.</summary>
public sealed class RecipeException(IReadOnlyList<RecipeProblem> problems)
    : Exception(Describe(problems))
{
    public IReadOnlyList<RecipeProblem> Problems { get; } = problems;

    private static string Describe(IReadOnlyList<RecipeProblem> problems) =>
        $"{problems.Count} problem{(problems.Count == 1 ? string.Empty : "s")} in the build settings:" + Environment.NewLine +
        string.Join(Environment.NewLine, problems.Select(p => "  " + p));
}
