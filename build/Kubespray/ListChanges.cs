using System.Text;

namespace Lading.Kubespray;

/// <summary>How one list differs from the committed one: lines added and removed (ordinal, blank lines ignored), and whether its bytes changed at all.</summary>
public sealed record ListDiff(string Name, IReadOnlyList<string> Added, IReadOnlyList<string> Removed, bool Changed);

/// <summary>ProposeListChanges' answer: per list, what a pull request to the Kubespray release repo would change.</summary>
public sealed record ListChanges(IReadOnlyList<ListDiff> Lists)
{
    public bool Differs => Lists.Any(l => l.Changed);

    /// <summary>The pull request body: a summary table, then each changed list as a diff block.</summary>
    public string ToMarkdown(string title)
    {
        var md = new StringBuilder();
        md.Append("## ").Append(title).Append('\n').Append('\n');
        if (!Differs)
        {
            md.Append("The generated lists are the same as the committed ones.\n");
            return md.ToString();
        }

        md.Append("| list | added | removed |\n|---|---:|---:|\n");
        foreach (var list in Lists)
        {
            md.Append("| `").Append(list.Name).Append("` | ").Append(list.Added.Count).Append(" | ").Append(list.Removed.Count).Append(" |\n");
        }

        foreach (var list in Lists.Where(l => l.Changed))
        {
            md.Append('\n').Append("### `").Append(list.Name).Append("`\n\n");
            if (list.Added.Count == 0 && list.Removed.Count == 0)
            {
                md.Append("Only the order or blank lines changed.\n");
                continue;
            }

            md.Append("```diff\n");
            foreach (var line in list.Removed)
            {
                md.Append("- ").Append(line).Append('\n');
            }

            foreach (var line in list.Added)
            {
                md.Append("+ ").Append(line).Append('\n');
            }

            md.Append("```\n");
        }

        return md.ToString();
    }
}

/// <summary>ProposeListChanges: compares freshly generated lists with those committed in the Kubespray release repo.</summary>
public static class ProposeListChanges
{
    public static ListChanges Compare(KubesprayLists generated, KubesprayLists committed) =>
        new(
        [
            Diff(KubesprayLists.FilesName, generated.Files, committed.Files),
            Diff(KubesprayLists.ImagesName, generated.Images, committed.Images),
        ]);

    public static ListDiff Diff(string name, byte[] generated, byte[] committed)
    {
        var now = Lines(generated);
        var before = Lines(committed);
        var nowSet = now.ToHashSet(StringComparer.Ordinal);
        var beforeSet = before.ToHashSet(StringComparer.Ordinal);
        return new ListDiff(
            name,
            now.Where(l => !beforeSet.Contains(l)).Distinct(StringComparer.Ordinal).ToList(),
            before.Where(l => !nowSet.Contains(l)).Distinct(StringComparer.Ordinal).ToList(),
            !generated.AsSpan().SequenceEqual(committed));
    }

    private static List<string> Lines(byte[] bytes) =>
        Encoding.UTF8.GetString(bytes).Split('\n').Select(l => l.TrimEnd('\r', ' ', '\t')).Where(l => l.Length > 0).ToList();
}
