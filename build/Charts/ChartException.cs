namespace Lading.Charts;

/// <summary>One thing wrong with a chart, at a place a release engineer can open: file, and line:column when known.</summary>
public sealed record ChartProblem(string File, int Line, int Column, string Message)
{
    public ChartProblem(string file, string message)
        : this(file, 0, 0, message)
    {
    }

    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}

/// <summary>A chart cannot be read or packaged; <see cref="Problems"/> lists every problem found, not only the first.</summary>
public sealed class ChartException : Exception
{
    public ChartException(IReadOnlyList<ChartProblem> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    public ChartException(ChartProblem problem)
        : this([problem])
    {
    }

    public IReadOnlyList<ChartProblem> Problems { get; }

    private static string Describe(IReadOnlyList<ChartProblem> problems) =>
        problems.Count == 1
            ? problems[0].ToString()
            : $"{problems.Count} chart problems:{Environment.NewLine}" + string.Join(Environment.NewLine, problems.Select(p => "  " + p));
}
