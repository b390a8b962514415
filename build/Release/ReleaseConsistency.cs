using System.Text.RegularExpressions;

namespace Lading.Release;

/// <summary>A chart collected under addons/: its folder, what its Chart.yaml says, and where that file is.</summary>
public sealed record CollectedChart(string Folder, string Name, string Version, string File);

/// <summary>
/// The release repo's consistency rules: a version.yml addon is named as its chart folder and its Chart.yaml; a
/// collected chart's version is the tag its component is released at (with or without v, the tag family's prefix
/// such as kube-state-metrics- or redis/ left out). Pure: every mismatch is returned, the caller decides whether it is
/// a warning or an error.
/// </summary>
public static partial class ReleaseConsistency
{
    public static IReadOnlyList<ReleaseProblem> Check(IReadOnlyList<CollectedChart> charts, VersionFile versions, IEnumerable<ComponentRepo> components)
    {
        var problems = new List<ReleaseProblem>();
        var byFolder = charts.ToDictionary(c => c.Folder, StringComparer.Ordinal);
        foreach (var chart in charts.Where(c => c.Name != c.Folder))
        {
            problems.Add(new ReleaseProblem(chart.File, $"the chart in addons/{chart.Folder} is named '{chart.Name}'; a chart's folder, its Chart.yaml name and its version.yml addon must be one name"));
        }

        foreach (var addon in versions.Addons)
        {
            if (byFolder.TryGetValue(addon.Name, out var chart) && chart.Name != addon.Name)
            {
                problems.Add(new ReleaseProblem(addon.File, addon.Line, addon.Column, $"addon {addon.Name} is installed from addons/{addon.Name}, whose Chart.yaml names the chart '{chart.Name}'"));
            }
        }

        foreach (var component in components)
        {
            foreach (var folder in component.AddonFolders)
            {
                var parts = folder.Split('/');
                if (parts.Length != 2 || parts[0] != ReleaseLayout.Addons || !byFolder.TryGetValue(parts[1], out var chart))
                {
                    continue;
                }

                if (!SameVersion(chart.Version, component))
                {
                    problems.Add(new ReleaseProblem(component.File, component.Line, component.Column,
                        $"{component.RepositoryFullName} is released at {component.CurrentTag}, but its chart addons/{chart.Folder} has version {chart.Version}"));
                }
            }
        }

        return problems;
    }

    /// <summary>The version a tag carries once its family prefix and leading v are left out: kube-state-metrics-5.16.0 and v5.16.0 both carry 5.16.0.</summary>
    public static string VersionOfTag(string tag, string? baseVersion)
    {
        var prefix = baseVersion is null ? null : new ReleaseLine(baseVersion).Prefix;
        var rest = prefix is not null && tag.StartsWith(prefix, StringComparison.Ordinal)
            ? tag[prefix.Length..]
            : TrailingVersion().Match(tag) is { Success: true } trailing ? trailing.Value : tag;
        return rest.StartsWith('v') ? rest[1..] : rest;
    }

    private static bool SameVersion(string chartVersion, ComponentRepo component) =>
        VersionOfTag(component.CurrentTag, component.BaseVersion) == (chartVersion.StartsWith('v') ? chartVersion[1..] : chartVersion);

    // The version at the end of a tag: what follows the family prefix (a '-' or '/' before a digit, or a leading v).
    [GeneratedRegex(@"v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?\z")]
    private static partial Regex TrailingVersion();
}
