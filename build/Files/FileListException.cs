namespace Lading.Files;

/// <summary>A place in a list file (<c>files.list:7</c>) and what is wrong there.</summary>
public sealed record FileListProblem(string Where, string Message)
{
    public override string ToString() => $"{Where}: {Message}";
}

/// <summary>Everything wrong with a files.list (and its checksums file), reported at once.</summary>
public sealed class FileListException(IReadOnlyList<FileListProblem> problems) : Exception(Describe(problems))
{
    public IReadOnlyList<FileListProblem> Problems { get; } = problems;

    private static string Describe(IReadOnlyList<FileListProblem> problems) =>
        $"{problems.Count} problem{(problems.Count == 1 ? string.Empty : "s")} in the file list:" + Environment.NewLine +
        string.Join(Environment.NewLine, problems.Select(p => "  " + p));
}
