namespace Lading.Bootstrap;

/// <summary>Quoting for values written into generated bash scripts.</summary>
internal static class ShellText
{
    /// <summary>Single-quoted: bash expands nothing inside, and a quote is closed, escaped and reopened.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
