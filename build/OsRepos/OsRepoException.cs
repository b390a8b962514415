namespace Lading.OsRepos;

/// <summary>A place (<c>os/debian-12.list:4</c>, a target such as <c>debian-12 (amd64)</c>) and what is wrong there.</summary>
public sealed record OsRepoProblem(string Where, string Message)
{
    public override string ToString() => $"{Where}: {Message}";
}

/// <summary>Building an OS package repository failed: every problem found, each with its place.</summary>
public sealed class OsRepoException : Exception
{
    public OsRepoException(string where, string message)
        : this([new OsRepoProblem(where, message)])
    {
    }

    public OsRepoException(IReadOnlyList<OsRepoProblem> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<OsRepoProblem> Problems { get; }

    private static string Describe(IReadOnlyList<OsRepoProblem> problems) =>
        problems.Count == 1
            ? problems[0].ToString()
            : $"{problems.Count} problems with the OS packages:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p));
}
