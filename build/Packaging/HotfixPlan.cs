namespace Lading.Packaging;

/// <summary>An image a changed chart needs that no committed list of the new release names: the lists drifted from the charts.</summary>
public sealed record ListDrift(string Image, IReadOnlyList<string> Charts)
{
    public override string ToString() => $"{Image} (needed by {string.Join(", ", Charts)})";
}

/// <summary>What a hotfix ships of the images its changed charts need.</summary>
public sealed record HotfixPlan(IReadOnlyList<string> Ship, IReadOnlyList<ListDrift> Drift)
{
    /// <summary>
    /// The images the changed charts need (found in the charts themselves, at the new tag) that the base release's
    /// lists lack, and those that the new release's committed lists do not name.
    /// </summary>
    public static HotfixPlan For(IReadOnlyDictionary<string, IReadOnlyList<string>> chartsByImage, IReadOnlySet<string> committedLists, IReadOnlySet<string> baseImages) =>
        new(
            chartsByImage.Keys.Where(image => !baseImages.Contains(image)).Order(StringComparer.Ordinal).ToList(),
            chartsByImage.Where(p => !committedLists.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new ListDrift(p.Key, p.Value)).ToList());
}
