using Cake.Core;
using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Lading.Tools.Helm;

/// <summary>The helm commands Lading runs: rendering for image discovery, and checks of packaged charts.</summary>
public sealed class HelmRunner(IFileSystem fileSystem, ICakeEnvironment environment, IProcessRunner processRunner, IToolLocator tools)
    : CapturingTool<HelmSettings>(fileSystem, environment, processRunner, tools)
{
    private readonly IToolLocator _tools = tools;

    protected override string GetToolName() => "helm";

    protected override IEnumerable<string> GetToolExecutableNames() => ["helm"];

    /// <summary>Whether helm can be found (the settings' ToolPath, or PATH), so callers can fall back with a warning.</summary>
    public bool IsAvailable(HelmSettings? settings = null) =>
        settings?.ToolPath is { } path ? File.Exists(path.FullPath) : _tools.Resolve("helm") is not null;

    public string Version(HelmSettings? settings = null) =>
        Capture(settings ?? new HelmSettings(), Args("version", "--short")).Text.Trim();

    /// <summary>Renders a chart with its default values (and any values files and string values), as `helm install` would.</summary>
    public string Template(string chart, string releaseName, string? @namespace = null, IEnumerable<string>? valuesFiles = null, HelmSettings? settings = null,
        IReadOnlyDictionary<string, string>? stringValues = null)
    {
        var args = Args("template").AppendQuoted(releaseName).AppendQuoted(chart);
        if (@namespace is not null)
        {
            args.Append("--namespace").AppendQuoted(@namespace);
        }

        foreach (var values in valuesFiles ?? [])
        {
            args.Append("--values").AppendQuoted(values);
        }

        foreach (var (key, value) in stringValues ?? new Dictionary<string, string>())
        {
            args.Append("--set-string").AppendQuoted($"{key}={value}");
        }

        return Capture(settings ?? new HelmSettings(), args).Text;
    }

    public ToolResult Lint(string chart, HelmSettings? settings = null) =>
        Capture(settings ?? new HelmSettings(), Args("lint").AppendQuoted(chart));

    public string ShowChart(string chart, HelmSettings? settings = null) =>
        Capture(settings ?? new HelmSettings(), Args("show", "chart").AppendQuoted(chart)).Text;

    /// <summary>Fills the chart's charts/ with its dependencies, at the versions its Chart.lock names (or resolves them when it has none).</summary>
    public ToolResult DependencyBuild(string chart, HelmSettings? settings = null) =>
        Capture(settings ?? new HelmSettings(), Args("dependency", "build").AppendQuoted(chart));

    /// <summary>Resolves the chart's dependencies again (its Chart.lock rewritten) and fills its charts/ with them.</summary>
    public ToolResult DependencyUpdate(string chart, HelmSettings? settings = null) =>
        Capture(settings ?? new HelmSettings(), Args("dependency", "update").AppendQuoted(chart));

    public void Package(string chart, string destination, HelmSettings? settings = null) =>
        Capture(settings ?? new HelmSettings(), Args("package").AppendQuoted(chart).Append("--destination").AppendQuoted(destination));
}
