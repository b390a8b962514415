using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lading.Charts;

/// <summary>A chart a chart depends on, as Chart.yaml (or requirements.yaml, for apiVersion v1) declares it.</summary>
public sealed record ChartDependency(string Name, string? Version, string? Repository, int Line)
{
    private const string LocalScheme = "file://";

    /// <summary>The dependency's folder relative to the chart's, for <c>repository: file://../common</c>; null otherwise.</summary>
    public string? LocalPath => Repository is { } repository && repository.StartsWith(LocalScheme, StringComparison.Ordinal)
        ? repository[LocalScheme.Length..]
        : null;

    public override string ToString() => $"{Name} {Version ?? "(any version)"} from {Repository ?? "(no repository)"}";
}

/// <summary>
/// Which charts a chart needs beside it in <c>charts/</c>. helm installs nothing while one of them is absent, whatever
/// its condition says; on a site without internet nothing can fetch it then, so a package never ships a chart short
/// of one.
/// </summary>
public static partial class ChartDependencies
{
    public const string RequirementsFile = "requirements.yaml";
    public const string SubchartsFolder = "charts";

    /// <summary>What the chart declares, in order: Chart.yaml's <c>dependencies</c>, else requirements.yaml's.</summary>
    public static IReadOnlyList<ChartDependency> Declared(string chartFolder)
    {
        var declared = Read(Path.Combine(chartFolder, ChartMetadata.FileName));
        return declared.Count > 0 ? declared : Read(Path.Combine(chartFolder, RequirementsFile));
    }

    /// <summary>The declared dependencies <c>charts/</c> does not hold, as a folder whose Chart.yaml names it or as an archive <c>&lt;name&gt;-&lt;version&gt;.tgz</c>.</summary>
    public static IReadOnlyList<ChartDependency> Missing(string chartFolder)
    {
        var declared = Declared(chartFolder);
        if (declared.Count == 0)
        {
            return [];
        }

        var held = Held(Path.Combine(chartFolder, SubchartsFolder));
        return declared.Where(d => !held.Any(name => name == d.Name || (name.StartsWith(d.Name + "-", StringComparison.Ordinal) && VersionStart().IsMatch(name[(d.Name.Length + 1)..])))).ToList();
    }

    /// <summary>One problem per missing dependency, naming the chart's file and line and what to do.</summary>
    public static IReadOnlyList<ChartProblem> Problems(string chartFolder) =>
        Missing(chartFolder).Select(d => new ChartProblem(
            Path.Combine(chartFolder, ChartMetadata.FileName),
            d.Line,
            1,
            $"depends on {d}, which is not in {SubchartsFolder}/: helm would refuse to install it, and the site cannot fetch it. "
            + "CollectCharts fetches a chart's dependencies into charts/; for a chart kept by hand, run `helm dependency build` and commit charts/.")).ToList();

    /// <summary>Names of what <c>charts/</c> holds: each folder's chart name, each archive's file name without .tgz.</summary>
    private static List<string> Held(string subcharts)
    {
        var held = new List<string>();
        if (!Directory.Exists(subcharts))
        {
            return held;
        }

        foreach (var folder in Directory.GetDirectories(subcharts))
        {
            var chart = Path.Combine(folder, ChartMetadata.FileName);
            try
            {
                held.Add(File.Exists(chart) ? ChartMetadata.Load(chart).Name : Path.GetFileName(folder));
            }
            catch (ChartException)
            {
                held.Add(Path.GetFileName(folder));
            }
        }

        held.AddRange(Directory.GetFiles(subcharts, "*.tgz").Select(f => Path.GetFileNameWithoutExtension(f)));
        return held;
    }

    private static List<ChartDependency> Read(string file)
    {
        var found = new List<ChartDependency>();
        if (!File.Exists(file))
        {
            return found;
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(File.ReadAllText(file)));
        }
        catch (YamlException)
        {
            // Chart.yaml's own reader reports broken YAML with its place.
            return found;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("dependencies"), out var node) || node is not YamlSequenceNode list)
        {
            return found;
        }

        foreach (var entry in list.OfType<YamlMappingNode>())
        {
            string? Text(string key) => entry.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode { Value: { Length: > 0 } text } ? text : null;
            if (Text("name") is { } name)
            {
                found.Add(new ChartDependency(name, Text("version"), Text("repository"), (int)entry.Start.Line));
            }
        }

        return found;
    }

    // After "<name>-" in an archive's name comes its version: a digit, or v and a digit.
    [GeneratedRegex(@"^v?[0-9]")]
    private static partial Regex VersionStart();
}
