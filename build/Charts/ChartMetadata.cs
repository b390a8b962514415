using Lading.Release;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lading.Charts;

/// <summary>What Lading needs from a Chart.yaml: identity, version and annotations.</summary>
public sealed record ChartMetadata(
    string File,
    string ApiVersion,
    string Name,
    string Version,
    SemVersion SemVersion,
    string? Type,
    IReadOnlyDictionary<string, string> Annotations)
{
    public const string FileName = "Chart.yaml";

    /// <summary>The archive name helm gives this chart: <c>&lt;name&gt;-&lt;version&gt;.tgz</c>.</summary>
    public string PackageFileName => $"{Name}-{Version}.tgz";

    public static ChartMetadata Load(string path)
    {
        if (!System.IO.File.Exists(path))
        {
            throw new ChartException(new ChartProblem(path, "Chart.yaml is missing: every chart needs one."));
        }

        return Parse(System.IO.File.ReadAllText(path), path);
    }

    /// <summary>Reads and checks a Chart.yaml the way helm does, reporting every problem at once.</summary>
    public static ChartMetadata Parse(string text, string file)
    {
        var problems = new List<ChartProblem>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ChartException(new ChartProblem(file, (int)e.Start.Line, (int)e.Start.Column, $"is not valid YAML: {e.Message}"));
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var at = stream.Documents.Count == 0 ? Mark.Empty : stream.Documents[0].RootNode.Start;
            throw new ChartException(new ChartProblem(file, (int)at.Line, (int)at.Column, "Chart.yaml must be a mapping with apiVersion, name and version."));
        }

        string? Scalar(string key, bool required)
        {
            if (!root.Children.TryGetValue(new YamlScalarNode(key), out var node))
            {
                if (required)
                {
                    problems.Add(new ChartProblem(file, (int)root.Start.Line, (int)root.Start.Column, $"'{key}' is missing."));
                }

                return null;
            }

            if (node is YamlScalarNode { Value: { Length: > 0 } value })
            {
                return value;
            }

            problems.Add(new ChartProblem(file, (int)node.Start.Line, (int)node.Start.Column, $"'{key}' must be a non-empty string."));
            return null;
        }

        YamlNode? NodeOf(string key) => root.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

        var apiVersion = Scalar("apiVersion", required: true);
        if (apiVersion is not null and not "v1" and not "v2")
        {
            At(NodeOf("apiVersion")!, $"apiVersion '{apiVersion}' is not supported: helm 3 reads v1 and v2.");
        }

        var name = Scalar("name", required: true);
        if (name is not null && (name is "." or ".." || name.IndexOfAny(['/', '\\']) >= 0 || name.Any(char.IsWhiteSpace)))
        {
            At(NodeOf("name")!, $"name '{name}' is not a valid chart name: no slashes, spaces, '.' or '..'.");
        }

        var version = Scalar("version", required: true);
        SemVersion? semVersion = null;
        if (version is not null && !SemVersion.TryParse(version, out semVersion))
        {
            At(NodeOf("version")!, $"version '{version}' is not a SemVer 2.0 version such as 1.2.0 or v1.2.0-rc.1.");
        }

        var type = Scalar("type", required: false);
        if (type is not null and not "application" and not "library")
        {
            At(NodeOf("type")!, $"type '{type}' is not supported: use application or library.");
        }

        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (NodeOf("annotations"))
        {
            case null:
            case YamlScalarNode { Value: null or "" or "~" or "null" }:
                break;
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is YamlScalarNode { Value: { } k } && value is YamlScalarNode { Value: { } v })
                    {
                        annotations[k] = v;
                    }
                    else
                    {
                        At(value, "annotations must map names to strings.");
                    }
                }

                break;
            case var other:
                At(other, "annotations must be a mapping of names to strings.");
                break;
        }

        if (problems.Count > 0)
        {
            throw new ChartException(problems);
        }

        return new ChartMetadata(file, apiVersion!, name!, version!, semVersion!, type, annotations);

        void At(YamlNode node, string message) => problems.Add(new ChartProblem(file, (int)node.Start.Line, (int)node.Start.Column, message));
    }
}
