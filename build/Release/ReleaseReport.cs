namespace Lading.Release;

/// <summary>An image list's lines added and removed by UpdateImageLists.</summary>
public sealed record ImageListChange(string List, IReadOnlyList<string> Added, IReadOnlyList<string> Removed);

/// <summary>What the Release pipeline's steps found, handed from step to step and into the proposal and notice.</summary>
public sealed class ReleaseReport
{
    public List<TagChange> Tags { get; } = [];

    public List<ImageListChange> ImageLists { get; } = [];

    public List<string> Warnings { get; } = [];

    /// <summary>The component table as Markdown: component | old tag | new tag | tag date | message.</summary>
    public string TagTable()
    {
        var lines = new List<string> { "| component | old tag | new tag | tag date | message |", "|---|---|---|---|---|" };
        lines.AddRange(Tags.Select(t =>
            $"| {t.Repo.RepositoryFullName} | {t.OldTag} | {(t.Changed ? $"**{t.NewTag}**" : t.NewTag)} | {t.Date?.ToString("yyyy-MM-dd") ?? string.Empty} | {Cell(t.Subject ?? t.Note)} |"));
        return string.Join('\n', lines);
    }

    /// <summary>The image-list diff as Markdown, or null when no list changed.</summary>
    public string? ImageDiff()
    {
        var changed = ImageLists.Where(l => l.Added.Count + l.Removed.Count > 0).ToList();
        if (changed.Count == 0)
        {
            return null;
        }

        return string.Join('\n', changed.Select(l =>
            $"{l.List}:\n```diff\n{string.Concat(l.Removed.Select(r => $"- {r}\n"))}{string.Concat(l.Added.Select(a => $"+ {a}\n"))}```"));
    }

    private static string Cell(string? text) => (text ?? string.Empty).Replace("|", "\\|").ReplaceLineEndings(" ");
}
