namespace Lading.Release;

/// <summary>An image list's lines added and removed by UpdateImageLists.</summary>
public sealed record ImageListChange(string List, IReadOnlyList<string> Added, IReadOnlyList<string> Removed);

/// <summary>An image the charts need that the internal registry lacks: where it is listed, why it is missing, the charts needing it and their owners.</summary>
public sealed record MissingImage(string Image, string ListedAt, string Why, IReadOnlyList<string> Charts, IReadOnlyList<string> Owners)
{
    public override string ToString() =>
        $"{Image} ({(Charts.Count == 0 ? "listed at " + ListedAt : "needed by " + string.Join(", ", Charts))}{(Owners.Count == 0 ? string.Empty : "; owners: " + string.Join(", ", Owners))}): {Why}";
}

/// <summary>What the Release pipeline's steps found, handed from step to step and into the proposal and notice.</summary>
public sealed class ReleaseReport
{
    public List<TagChange> Tags { get; } = [];

    public List<ImageListChange> ImageLists { get; } = [];

    public List<string> Warnings { get; } = [];

    /// <summary>Images CheckImages found missing from the internal registry; a proposal lists them, then fails the run.</summary>
    public List<MissingImage> MissingImages { get; } = [];

    /// <summary>Each listed image and the charts that need it, as UpdateImageLists found them in this run.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? ChartsByImage { get; set; }

    /// <summary>The owners of the charts that need missing images, to mention them.</summary>
    public IReadOnlyList<string> OwnersOfMissing() => MissingImages.SelectMany(m => m.Owners).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Charts the recipe exempted from rendering, with why: their images were taken from their lists and annotations.</summary>
    public List<Charts.RenderExemption> NotRendered { get; } = [];

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
