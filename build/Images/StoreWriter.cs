using System.Globalization;
using System.Text;

namespace Lading.Images;

/// <summary>
/// A build process writing into a content store that several builds (and machines) share: its host, its process id
/// and when that process started, so a temporary file or claim it left can be judged: its writer still runs, is gone,
/// or is on another machine and cannot be asked. Written into names as <c>host_pid_start</c>.
/// </summary>
public sealed record StoreWriter(string Host, int ProcessId, long Started)
{
    /// <summary>This process.</summary>
    public static StoreWriter Current { get; } = new(HostName(), Environment.ProcessId, StartOf(Environment.ProcessId) ?? 0);

    public override string ToString() => $"{Host}_{ProcessId.ToString(CultureInfo.InvariantCulture)}_{Started.ToString(CultureInfo.InvariantCulture)}";

    public static StoreWriter? Parse(string text)
    {
        var parts = text.Split('_');
        return parts.Length == 3 && parts[0].Length > 0
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var started)
            ? new StoreWriter(parts[0], pid, started)
            : null;
    }

    /// <summary>
    /// Whether the writer still runs: known on this machine (the process id is alive and started when recorded, so a
    /// reused id is not mistaken for it); null on another machine, or where processes cannot be looked up.
    /// </summary>
    public bool? IsRunning()
    {
        if (Host != Current.Host || Current.Started == 0)
        {
            return null;
        }

        return StartOf(ProcessId) == Started;
    }

    /// <summary>The start time of a process in clock ticks after boot (field 22 of /proc/&lt;pid&gt;/stat); null when it does not exist.</summary>
    private static long? StartOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var started) ? started : null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // Only letters, digits and '-': the name is one field of a file name, between '.' and '_' separators.
    private static string HostName()
    {
        var name = new StringBuilder();
        foreach (var c in Environment.MachineName)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '-');
        }

        return name.Length == 0 ? "host" : name.ToString();
    }
}
