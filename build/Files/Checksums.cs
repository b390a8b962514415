namespace Lading.Files;

/// <summary>A checksums file in sha256sum's format: <c>&lt;hex&gt;  &lt;name&gt;</c> (or <c>&lt;hex&gt; *&lt;name&gt;</c>) per line.</summary>
public sealed record Checksums(IReadOnlyList<(string Name, string Sha256, string Where)> Lines)
{
    public static bool IsSha256(string text) => text.Length == 64 && text.All(Uri.IsHexDigit);

    public static Checksums Parse(string text, string source, List<FileListProblem> problems)
    {
        var lines = new List<(string, string, string)>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var where = $"{source}:{number}";
            var space = line.IndexOf(' ');
            var hex = space < 0 ? line : line[..space];
            var name = space < 0 ? string.Empty : line[(space + 1)..].TrimStart(' ', '*').Trim();
            if (!IsSha256(hex) || name.Length == 0)
            {
                problems.Add(new FileListProblem(where, "expected '<64 hex digits>  <file name>' as sha256sum writes it"));
                continue;
            }

            lines.Add((name, hex.ToLowerInvariant(), where));
        }

        return new Checksums(lines);
    }
}
