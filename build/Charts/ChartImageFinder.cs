using Lading.Tools;
using Lading.Tools.Helm;

namespace Lading.Charts;

/// <summary>A chart the recipe exempts from rendering, and the reason it gives; its images come from its lists and annotations only.</summary>
public sealed record RenderExemption(string Chart, string Reason)
{
    public override string ToString() => $"{Chart}: {Reason}";

    /// <summary>Reads <c>chart: reason</c> (the form a recipe's release.renderExempt entries take).</summary>
    public static RenderExemption Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 || text[(colon + 1)..].Trim().Length == 0
            ? throw new ChartException(new ChartProblem("release.renderExempt", $"'{text}' is not 'chart: reason'; an exemption says why the chart is not rendered"))
            : new RenderExemption(text[..colon].Trim(), text[(colon + 1)..].Trim());
    }
}

/// <summary>What the charts need, and which charts were taken on trust (exempted from rendering).</summary>
public sealed record FoundChartImages(IReadOnlyList<ChartImage> Images, IReadOnlyList<RenderExemption> Exempted);

/// <summary>
/// Finds every image a set of charts needs, the way UpdateImageLists and a hotfix both do: the manifests
/// <c>helm template</c> renders (with the release repo's <c>addons-values/&lt;chart&gt;.yaml</c> when there is one),
/// the charts' own images_*.list files, and their Chart.yaml annotations. A chart helm cannot render stops the
/// search with helm's message, unless the recipe exempts it.
/// </summary>
public sealed class ChartImageFinder(HelmRunner helm, HelmSettings settings)
{
    /// <summary>Values a chart is rendered with, in the release repo: addons-values/&lt;chart&gt;.yaml.</summary>
    public const string ValuesFolder = "addons-values";

    /// <summary>Fails, naming what to do, when helm cannot be run; returns its version.</summary>
    public string RequireHelm(string neededBy)
    {
        if (!helm.IsAvailable(settings))
        {
            throw new ChartException(new ChartProblem("helm", $"{neededBy} renders the charts with helm 3 to find every image they need, and helm was not found: install helm 3 on this agent or pass --helm=<path>"));
        }

        return helm.Version(settings);
    }

    /// <param name="releaseRoot">The release repo's files (at the version looked at), holding addons-values/.</param>
    /// <param name="chartFolders">The chart folders to look into (addons/&lt;chart&gt;).</param>
    /// <param name="namespaces">Each chart's namespace, as version.yml gives it; rendering uses it as the install will.</param>
    public FoundChartImages Find(string releaseRoot, IReadOnlyList<string> chartFolders, IReadOnlyDictionary<string, string?> namespaces, IReadOnlyList<RenderExemption> exemptions)
    {
        var found = new List<ChartImage>();
        var exempted = new List<RenderExemption>();
        var problems = new List<ChartProblem>();
        foreach (var folder in chartFolders)
        {
            var name = Path.GetFileName(folder);
            if (exemptions.FirstOrDefault(e => e.Chart == name) is { } exemption)
            {
                exempted.Add(exemption);
            }
            else
            {
                var values = Path.Combine(releaseRoot, ValuesFolder, name + ".yaml");
                try
                {
                    found.AddRange(ChartImages.FromRenderedManifests(
                        helm.Template(folder, name, namespaces.GetValueOrDefault(name), File.Exists(values) ? [values] : null, settings), name));
                }
                catch (ToolException e)
                {
                    problems.Add(new ChartProblem(
                        $"addons/{name}",
                        $"helm could not render it ({FirstLines(e.Output)}); give it the values it needs in {ValuesFolder}/{name}.yaml, or exempt it in the recipe (release.renderExempt: '{name}: <why>')"));
                }
            }

            found.AddRange(ChartImages.FromImageLists(folder, name));
            found.AddRange(ChartImages.FromAnnotations(ChartMetadata.Load(Path.Combine(folder, ChartMetadata.FileName)), name));
        }

        if (problems.Count > 0)
        {
            throw new ChartException(problems);
        }

        return new FoundChartImages(found, exempted);
    }

    private static string FirstLines(string output)
    {
        var lines = output.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "no message" : string.Join(" / ", lines.Take(3));
    }
}
