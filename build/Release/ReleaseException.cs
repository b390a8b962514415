namespace Lading.Release;

/// <summary>One thing wrong in the release repo, at a place a release engineer can open: file, and line:column when known.</summary>
public sealed record ReleaseProblem(string File, int Line, int Column, string Message)
{
    public ReleaseProblem(string file, string message)
        : this(file, 0, 0, message)
    {
    }

    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}

/// <summary>The release repo's files cannot be read or updated; <see cref="Problems"/> lists every problem found.</summary>
public sealed class ReleaseException : Exception
{
    public ReleaseException(IReadOnlyList<ReleaseProblem> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    public ReleaseException(ReleaseProblem problem)
        : this([problem])
    {
    }

    public IReadOnlyList<ReleaseProblem> Problems { get; }

    private static string Describe(IReadOnlyList<ReleaseProblem> problems) =>
        problems.Count == 1
            ? problems[0].ToString()
            : $"{problems.Count} problems:{Environment.NewLine}" + string.Join(Environment.NewLine, problems.Select(p => "  " + p));
}
