namespace Lading;

/// <summary>
/// The line format every Lading list shares (files.list, os/*.list, image lists): one entry a line,
/// blank lines and <c>#</c> comments skipped, line numbers kept for messages.
/// </summary>
public static class ListText
{
    /// <param name="trailingComments">Also cut a <c>#</c> comment that follows an entry on its line.</param>
    public static IEnumerable<(int Number, string Text)> Entries(string text, bool trailingComments = false)
    {
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = (trailingComments ? raw.Split('#', 2)[0] : raw).TrimEnd('\r').Trim();
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                yield return (number, line);
            }
        }
    }
}
