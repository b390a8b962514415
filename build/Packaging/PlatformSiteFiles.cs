using System.Text;
using Lading.Images;
using Lading.Release;

namespace Lading.Packaging;

/// <summary>One chart of a platform or hotfix package as install.sh installs it: the namespace and enable flag of version.yml.</summary>
public sealed record AddonRow(string Name, string Version, string Namespace, bool Enable, string File);

/// <summary>
/// The plain-text tables a platform or hotfix package carries for its install.sh, so the site needs nothing to read
/// YAML or JSON: <c>addons.tsv</c> (the charts in version.yml order), <c>image-origins.tsv</c> (images_origin.yaml)
/// and, for a hotfix, <c>base-images.list</c> (the images its base release holds).
/// </summary>
public static class PlatformSiteFiles
{
    public const string Addons = "addons.tsv";
    public const string ImageOrigins = "image-origins.tsv";
    public const string BaseImages = "base-images.list";

    /// <summary>The release repo's own installer, kept in a platform package under this name and run by install.sh.</summary>
    public const string ReleaseInstaller = "install-charts.sh";

    /// <summary>Where a chart's namespace is not given, helm's own default.</summary>
    public const string DefaultNamespace = "default";

    /// <summary>
    /// The package's charts in version.yml order (a chart is enabled when its addon and module are), then charts
    /// version.yml does not list, disabled: install.sh installs only what version.yml enables. Without a version.yml
    /// every chart is enabled in the default namespace.
    /// </summary>
    public static IReadOnlyList<AddonRow> AddonsOf(IReadOnlyList<PackagedChartEntry> charts, VersionFile? versions)
    {
        var byName = charts.ToDictionary(c => c.Name, StringComparer.Ordinal);
        if (versions is null)
        {
            return charts.OrderBy(c => c.Name, StringComparer.Ordinal)
                .Select(c => new AddonRow(c.Name, c.Version, DefaultNamespace, true, c.File)).ToList();
        }

        var rows = new List<AddonRow>();
        foreach (var module in versions.Modules)
        {
            foreach (var addon in module.Addons.Where(a => byName.ContainsKey(a.Name) && rows.All(r => r.Name != a.Name)))
            {
                var chart = byName[addon.Name];
                rows.Add(new AddonRow(chart.Name, chart.Version, addon.Namespace ?? DefaultNamespace, module.Enable && addon.Enable, chart.File));
            }
        }

        rows.AddRange(charts.Where(c => rows.All(r => r.Name != c.Name)).OrderBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => new AddonRow(c.Name, c.Version, DefaultNamespace, false, c.File)));
        return rows;
    }

    public static string RenderAddons(IReadOnlyList<AddonRow> rows)
    {
        var text = new StringBuilder("# name\tversion\tnamespace\tenable\tchart: install order of version.yml (written by Lading)\n");
        foreach (var row in rows)
        {
            text.Append($"{row.Name}\t{row.Version}\t{row.Namespace}\t{(row.Enable ? "true" : "false")}\t{row.File}\n");
        }

        return text.ToString();
    }

    public static IReadOnlyList<AddonRow> ParseAddons(string text, string where)
    {
        var rows = new List<AddonRow>();
        foreach (var (number, _, line) in ListText.Entries(text))
        {
            var fields = line.Split('\t');
            if (fields.Length != 5 || fields[3] is not ("true" or "false"))
            {
                throw new PackageException($"{where}:{number}: expected name, version, namespace, enable (true|false) and chart, separated by tabs");
            }

            rows.Add(new AddonRow(fields[0], fields[1], fields[2], fields[3] == "true", fields[4]));
        }

        return rows;
    }

    /// <summary>One <c>src&lt;TAB&gt;dest</c> line per rule of images_origin.yaml, src normalized (docker.io/library/nginx).</summary>
    public static string RenderOrigins(OriginMapping origin) =>
        "# src\tdest: images_origin.yaml, an upstream repository and the site repository it is stored under (written by Lading)\n"
        + string.Concat(origin.Rules.Select(r => $"{r.Source}\t{r.Destination}\n"));

    public static OriginMapping ParseOrigins(string text, string where)
    {
        var yaml = new StringBuilder();
        foreach (var (number, _, line) in ListText.Entries(text))
        {
            var fields = line.Split('\t');
            if (fields.Length != 2)
            {
                throw new PackageException($"{where}:{number}: expected src and dest separated by a tab");
            }

            yaml.Append($"- {{src: '{fields[0]}', dest: '{fields[1]}'}}\n");
        }

        return OriginMapping.Parse(yaml.ToString(), where);
    }

    /// <summary>One site name a line (<c>library/nginx:1.25.3</c>, or <c>repo@sha256:...</c> for a manifest held by digest).</summary>
    public static string RenderBaseImages(string baseVersion, IEnumerable<string> siteNames) =>
        $"# The images the base release {baseVersion} holds (written by Lading): this hotfix's charts may use them without carrying them.\n"
        + string.Concat(siteNames.Order(StringComparer.Ordinal).Select(n => n + "\n"));
}
