using Lading.Chat;

namespace Lading.Release;

/// <summary>Images the internal registry lacks, told to the people who can fix them: the owners of the charts that need them.</summary>
public static class MissingImages
{
    /// <param name="missing">Each missing image: its site name, where it is listed, why it is missing.</param>
    /// <param name="chartsByImage">The charts that need each image (provenance).</param>
    /// <param name="ownersByAddon">The owners of each chart (repos/*.yaml owners).</param>
    public static IReadOnlyList<MissingImage> Describe(
        IEnumerable<(string Image, string ListedAt, string Why)> missing,
        IReadOnlyDictionary<string, IReadOnlyList<string>> chartsByImage,
        IReadOnlyDictionary<string, IReadOnlyList<string>> ownersByAddon) =>
        missing.Select(m =>
        {
            var charts = chartsByImage.GetValueOrDefault(m.Image) ?? [];
            var owners = charts.SelectMany(c => ownersByAddon.GetValueOrDefault(c) ?? []).Distinct(StringComparer.Ordinal).ToList();
            return new MissingImage(m.Image, m.ListedAt, m.Why, charts, owners);
        }).ToList();

    /// <summary>The section a proposal or notice carries for them.</summary>
    public static NoticeDetails Details(IReadOnlyList<MissingImage> missing) =>
        new($"Missing from the internal registry ({missing.Count})", string.Join('\n', missing));

    /// <summary>A notice of its own (for a check with no proposal to carry it), mentioning the owners.</summary>
    public static ReleaseNotice Notice(string title, IReadOnlyList<MissingImage> missing) =>
        new(title)
        {
            Summary = "These images must be mirrored into the internal registry before the release can be built.",
            Details = [Details(missing)],
            Mentions = missing.SelectMany(m => m.Owners).Distinct(StringComparer.Ordinal).ToList(),
        };
}
