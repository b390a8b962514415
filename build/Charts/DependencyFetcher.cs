using Lading.Tools;
using Lading.Tools.Helm;

namespace Lading.Charts;

/// <summary>
/// Fetches the charts a chart depends on and lacks into its <c>charts/</c>, with helm, as its maintainers do before
/// they package it: at the versions its Chart.lock names, from the repositories it names (the agent's helm
/// repositories and registry logins apply), <c>file://</c> charts from beside it.
/// </summary>
public sealed class DependencyFetcher(HelmRunner helm, HelmSettings settings, Action<string> warn)
{
    /// <summary>What went wrong for this chart, one sentence each; none when its charts/ is whole.</summary>
    /// <param name="chartFolder">The chart's folder, inside its repository as fetched (so <c>file://</c> paths resolve).</param>
    /// <param name="repositoryRoot">The repository as fetched: a <c>file://</c> chart outside it is refused, never read.</param>
    /// <param name="shownAs">How messages name the chart: repository, tag and path.</param>
    public async Task<IReadOnlyList<string>> FetchAsync(string chartFolder, string repositoryRoot, string shownAs, CancellationToken cancellationToken)
    {
        var missing = ChartDependencies.Missing(chartFolder);
        if (missing.Count == 0)
        {
            return [];
        }

        // A component repository names what helm reads: a file:// chart elsewhere on the build machine would go into the release.
        var root = Path.GetFullPath(repositoryRoot);
        var outside = missing.Where(d => d.LocalPath is { } local
            && (Path.IsPathRooted(local) || !Path.GetFullPath(Path.Combine(chartFolder, local)).StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))).ToList();
        if (outside.Count > 0)
        {
            return outside.Select(d => $"{shownAs} depends on {d}, outside its repository: refused (a chart may depend on charts of its own repository, or of a chart repository)").ToList();
        }

        var names = string.Join(", ", missing);
        if (!helm.IsAvailable(settings))
        {
            return [$"{shownAs} depends on {names}, not in its charts/: fetching them needs helm 3 (install it on this agent or pass --helm=<path>)"];
        }

        try
        {
            helm.DependencyBuild(chartFolder, settings);
        }
        catch (ToolException e) when (e.Output.Contains("out of sync", StringComparison.OrdinalIgnoreCase))
        {
            warn($"{shownAs}: its Chart.lock does not match its Chart.yaml; its dependencies are resolved again (helm dependency update)");
            try
            {
                helm.DependencyUpdate(chartFolder, settings);
            }
            catch (ToolException again)
            {
                return [$"{shownAs}: its dependencies {names} could not be fetched: {again.Output.Trim()}"];
            }
        }
        catch (ToolException e)
        {
            return [$"{shownAs}: its dependencies {names} could not be fetched: {e.Output.Trim()}"];
        }

        var still = ChartDependencies.Missing(chartFolder);
        if (still.Count > 0)
        {
            return [$"{shownAs}: helm left {string.Join(", ", still)} out of its charts/"];
        }

        // helm packs a file:// chart anew each time, its bytes never the same: packed again with fixed bytes, an
        // unchanged chart reads as unchanged in the next release and hotfix.
        foreach (var local in missing.Select(d => d.LocalPath).OfType<string>().Select(l => Path.GetFullPath(Path.Combine(chartFolder, l))).Where(Directory.Exists))
        {
            await ChartPackager.PackageAsync(local, Path.Combine(chartFolder, ChartDependencies.SubchartsFolder), cancellationToken);
        }

        return [];
    }
}
