namespace Lading.Tools;

/// <summary>An outside program failed: which one, with what command line (secrets masked) and what it said.</summary>
public sealed class ToolException(string tool, string commandLine, int exitCode, string output)
    : Exception($"{tool} failed (exit code {exitCode}): {commandLine}{(string.IsNullOrWhiteSpace(output) ? string.Empty : Environment.NewLine + output.Trim())}")
{
    public string Tool { get; } = tool;

    public int ExitCode { get; } = exitCode;

    public string Output { get; } = output;
}
