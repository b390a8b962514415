using System.Globalization;
using System.Text.RegularExpressions;

namespace Lading.Common;

/// <summary>
/// Temporary names for files written beside their final place (packages, sidecars, archives). Each carries the id of
/// the process writing it, so a later run can tell a dead run's leftovers from the work of a build running beside it.
/// </summary>
public static partial class TemporaryFile
{
    /// <summary><c>&lt;final&gt;.&lt;process id&gt;.&lt;random&gt;.partial</c>: never a name a reader looks for.</summary>
    public static string Beside(string final) => $"{final}.{Environment.ProcessId}.{Guid.NewGuid():N}.partial";

    /// <summary>Removes the temporary files in <paramref name="folder"/> whose writing process no longer runs; returns their names.</summary>
    public static IReadOnlyList<string> RemoveAbandoned(string folder)
    {
        var removed = new List<string>();
        if (!Directory.Exists(folder))
        {
            return removed;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.partial"))
        {
            if (Abandoned().Match(Path.GetFileName(file)) is { Success: true } match
                && int.TryParse(match.Groups["pid"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && !IsRunning(pid))
            {
                try
                {
                    File.Delete(file);
                    removed.Add(Path.GetFileName(file));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Another run cleaning up at the same time got there first.
                }
            }
        }

        return removed;
    }

    /// <summary>Whether a process with that id runs on this machine (a reused id keeps a leftover one more run: harmless).</summary>
    public static bool IsRunning(int pid) =>
        pid == Environment.ProcessId || (OperatingSystem.IsLinux() ? Directory.Exists($"/proc/{pid}") : ProcessExists(pid));

    private static bool ProcessExists(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"\.(?<pid>\d+)\.[0-9a-f]{32}\.partial$")]
    private static partial Regex Abandoned();
}
