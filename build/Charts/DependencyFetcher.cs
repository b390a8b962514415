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
    /// <param name="shownAs">How messages name the chart: repository, tag and path.</param>
    public IReadOnlyList<string> Fetch(string chartFolder, string shownAs)
    {
        var missing = ChartDependencies.Missing(chartFolder);
        if (missing.Count == 0)
        {
            return [];
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
        return still.Count == 0 ? [] : [$"{shownAs}: helm left {string.Join(", ", still)} out of its charts/"];
    }
}
