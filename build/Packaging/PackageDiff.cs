using System.Text;

namespace Lading.Packaging;

public sealed record Change(string Name, string? Before, string? After, long SizeBefore, long SizeAfter);

/// <summary>Charts and images added, removed and changed between two packages, with sizes.</summary>
public sealed record PackageDiff(PackageManifest From, PackageManifest To, IReadOnlyList<Change> Charts, IReadOnlyList<Change> Images)
{
    public static PackageDiff Compare(PackageManifest from, PackageManifest to) => new(
        from,
        to,
        Changes(from.Charts.ToDictionary(c => c.Name, c => (c.Version, from.SizeOf(c))), to.Charts.ToDictionary(c => c.Name, c => (c.Version, to.SizeOf(c)))),
        Changes(from.Images.ToDictionary(i => i.Name, i => (i.Digest, i.Bytes)), to.Images.ToDictionary(i => i.Name, i => (i.Digest, i.Bytes))));

    public bool IsEmpty => Charts.Count == 0 && Images.Count == 0;

    public string ToMarkdown()
    {
        var text = new StringBuilder($"## {From.Name}-{From.Version} → {To.Name}-{To.Version}\n\n");
        if (IsEmpty)
        {
            return text.Append("No chart or image changed.\n").ToString();
        }

        Section(text, "Charts", Charts, c => c);
        Section(text, "Images", Images, d => d.Length > 19 ? d[..19] : d);
        return text.ToString();
    }

    private static void Section(StringBuilder text, string title, IReadOnlyList<Change> changes, Func<string, string> shorten)
    {
        if (changes.Count == 0)
        {
            return;
        }

        text.Append($"### {title}\n\n| | name | before | after | size |\n|---|---|---|---|---:|\n");
        foreach (var change in changes)
        {
            var mark = change.Before is null ? "added" : change.After is null ? "removed" : "changed";
            text.Append($"| {mark} | {change.Name} | {(change.Before is null ? string.Empty : shorten(change.Before))} | {(change.After is null ? string.Empty : shorten(change.After))} | {Size(change)} |\n");
        }

        text.Append('\n');
    }

    private static string Size(Change change) =>
        change.SizeBefore == 0 && change.SizeAfter == 0 ? string.Empty
        : change.Before is null ? Reporting.PlainProgress.Bytes(change.SizeAfter)
        : change.After is null ? "-" + Reporting.PlainProgress.Bytes(change.SizeBefore)
        : $"{Reporting.PlainProgress.Bytes(change.SizeBefore)} → {Reporting.PlainProgress.Bytes(change.SizeAfter)}";

    private static IReadOnlyList<Change> Changes(IReadOnlyDictionary<string, (string Value, long Size)> before, IReadOnlyDictionary<string, (string Value, long Size)> after) =>
        before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Select(name => (name, b: before.TryGetValue(name, out var x) ? x : ((string, long)?)null, a: after.TryGetValue(name, out var y) ? y : ((string, long)?)null))
            .Where(c => c.b?.Item1 != c.a?.Item1)
            .Select(c => new Change(c.name, c.b?.Item1, c.a?.Item1, c.b?.Item2 ?? 0, c.a?.Item2 ?? 0))
            .ToList();
}
