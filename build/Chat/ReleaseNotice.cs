namespace Lading.Chat;

/// <summary>
/// What a release tells the team's chats: a title, a line of summary, a table (component | old tag | new tag),
/// detail sections such as the image-list diff, and a link to the pull request or package.
/// </summary>
public sealed record ReleaseNotice(string Title)
{
    public string? Summary { get; init; }

    public NoticeTable? Table { get; init; }

    public IReadOnlyList<NoticeDetails> Details { get; init; } = [];

    public NoticeLink? Link { get; init; }

    /// <summary>People to notify by name (the owners concerned): chat user ids, or emails where the chat takes them.</summary>
    public IReadOnlyList<string> Mentions { get; init; } = [];

    internal static bool IsEmail(string mention) => mention.Contains('@', StringComparison.Ordinal);

    /// <summary>The notice as GitHub/GitLab Markdown, for the body of the pull request it announces.</summary>
    public string ToMarkdown(bool withTitle = false)
    {
        var lines = new List<string>();
        if (withTitle)
        {
            lines.AddRange([$"## {Title}", string.Empty]);
        }

        if (!string.IsNullOrWhiteSpace(Summary))
        {
            lines.AddRange([Summary, string.Empty]);
        }

        if (Mentions.Count > 0)
        {
            lines.AddRange([$"Owners: {string.Join(", ", Mentions)}", string.Empty]);
        }

        if (Table is not null)
        {
            lines.AddRange([.. ChatPayload.MarkdownTable(Table), string.Empty]);
        }

        foreach (var details in Details)
        {
            lines.AddRange([$"### {details.Heading}", string.Empty]);
            // A diff fence colours added and removed images on both forges.
            lines.AddRange(details.IsMarkdown ? details.Lines : ["```diff", .. details.Lines, "```"]);
            lines.Add(string.Empty);
        }

        if (Link is not null)
        {
            lines.AddRange([$"[{Link.Text}]({Link.Url})", string.Empty]);
        }

        return string.Join("\n", lines).TrimEnd() + "\n";
    }
}

/// <summary>A table; every row has as many cells as there are columns.</summary>
public sealed record NoticeTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public static NoticeTable Of(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows)
    {
        var list = rows.ToList();
        var bad = list.FindIndex(r => r.Count != columns.Count);
        if (bad >= 0)
        {
            throw new ArgumentException($"row {bad + 1} has {list[bad].Count} cells for {columns.Count} columns", nameof(rows));
        }

        return new NoticeTable(columns, list);
    }

    /// <summary>Each column as wide as its widest cell, for chats that show no tables.</summary>
    internal IReadOnlyList<string> AlignedLines(string separator = "  ")
    {
        var widths = Columns.Select((c, i) => Rows.Select(r => r[i].Length).Append(c.Length).Max()).ToArray();
        string Line(IReadOnlyList<string> cells) => string.Join(separator, cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd();
        return [Line(Columns), .. Rows.Select(Line)];
    }
}

/// <summary>
/// A titled section. Plain text (a diff, a list) is shown as it is, in a code block where the chat has one;
/// Markdown is passed to the chats that render Markdown.
/// </summary>
public sealed record NoticeDetails(string Heading, string Text, bool IsMarkdown = false)
{
    internal IReadOnlyList<string> Lines => Text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
}

public sealed record NoticeLink(string Text, string Url);
