namespace Lading.Common;

/// <summary>One entry of a list file: its line and column (1-based) and its text without comment or surrounding space.</summary>
public readonly record struct ListLine(int Number, int Column, string Text);

/// <summary>
/// The line format every Lading list shares (image lists, a chart's images_*.list, files.list, os/*.list): one entry
/// a line; blank lines skipped; <c>#</c> starts a comment at the start of a line or after white space (so a URL's
/// <c>#fragment</c> stays part of it); line numbers kept for messages.
/// </summary>
public static class ListText
{
    public static IEnumerable<ListLine> Entries(string text)
    {
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = WithoutComment(raw.TrimEnd('\r'));
            var trimmed = line.Trim();
            if (trimmed.Length > 0)
            {
                yield return new ListLine(number, line.Length - line.TrimStart().Length + 1, trimmed);
            }
        }
    }

    /// <summary>Only the entries' texts, in order.</summary>
    public static IReadOnlyList<string> Texts(string text) => Entries(text).Select(e => e.Text).ToList();

    private static string WithoutComment(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                return line[..i];
            }
        }

        return line;
    }
}
