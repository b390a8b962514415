using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lading.Charts;

/// <summary>Where a chart's image was found, from the most trusted source to the least.</summary>
public enum ChartImageSource
{
    /// <summary>In the manifests <c>helm template</c> rendered.</summary>
    Rendered,

    /// <summary>In an images_*.list file the chart ships.</summary>
    ChartList,

    /// <summary>In a Chart.yaml annotation (helm.sh/images, artifacthub.io/images).</summary>
    Annotation,
}

/// <summary>
/// An image a chart needs, as written (not yet normalized), with its provenance: the addon, the kind of source,
/// the origin inside it (template file, list file or annotation name) and the line there (0 when unknown).
/// </summary>
public sealed record ChartImage(string Reference, string Addon, ChartImageSource Source, string Origin, int Line)
{
    /// <summary>For a chart list, its file name (images_*.list): the list under images/ it is merged into.</summary>
    public string? ListName => Source == ChartImageSource.ChartList ? Origin.Split('/')[^1] : null;
}

/// <summary>Finds the images a chart needs in its three sources; pure readers of text the caller provides.</summary>
public static partial class ChartImages
{
    public static readonly IReadOnlyList<string> ImageAnnotations = ["helm.sh/images", "artifacthub.io/images"];

    /// <summary>
    /// Every image in rendered manifests (multi-document YAML as <c>helm template</c> prints it): each <c>image:</c>
    /// string (containers, initContainers, ephemeralContainers, custom resources alike) and each repository+tag
    /// (or digest) pair, with the template named by the <c># Source:</c> comment helm writes above each document.
    /// </summary>
    public static IReadOnlyList<ChartImage> FromRenderedManifests(string manifests, string addon)
    {
        var images = new List<ChartImage>();
        var problems = new List<ChartProblem>();
        foreach (var document in SplitDocuments(manifests))
        {
            var origin = document.Source ?? $"{addon} (rendered)";
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(document.Text));
            }
            catch (YamlException e)
            {
                problems.Add(new ChartProblem(origin, document.FirstLine + (int)e.Start.Line - 1, (int)e.Start.Column, $"rendered manifest is not valid YAML: {e.Message}"));
                continue;
            }

            foreach (var root in stream.Documents.Select(d => d.RootNode))
            {
                Walk(root, node => images.Add(new ChartImage(node.Reference, addon, ChartImageSource.Rendered, origin, document.FirstLine + node.Line - 1)));
            }
        }

        if (problems.Count > 0)
        {
            throw new ChartException(problems);
        }

        return Distinct(images);
    }

    /// <summary>The images the helm.sh/images and artifacthub.io/images annotations list (YAML lists of {name, image}).</summary>
    public static IReadOnlyList<ChartImage> FromAnnotations(ChartMetadata chart, string addon)
    {
        var images = new List<ChartImage>();
        var problems = new List<ChartProblem>();
        foreach (var annotation in ImageAnnotations)
        {
            if (!chart.Annotations.TryGetValue(annotation, out var text) || string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(text));
            }
            catch (YamlException e)
            {
                problems.Add(new ChartProblem(chart.File, $"annotation {annotation} is not valid YAML (line {e.Start.Line} of its value): {e.Message}"));
                continue;
            }

            if (stream.Documents.FirstOrDefault()?.RootNode is not YamlSequenceNode list)
            {
                problems.Add(new ChartProblem(chart.File, $"annotation {annotation} must be a YAML list of {{name, image}}."));
                continue;
            }

            foreach (var item in list.Children)
            {
                if (item is YamlMappingNode mapping
                    && mapping.Children.TryGetValue(new YamlScalarNode("image"), out var image)
                    && image is YamlScalarNode { Value: { } reference }
                    && LooksLikeImage(reference))
                {
                    images.Add(new ChartImage(reference.Trim(), addon, ChartImageSource.Annotation, annotation, (int)item.Start.Line));
                }
                else
                {
                    problems.Add(new ChartProblem(chart.File, $"annotation {annotation}, item at line {item.Start.Line} of its value, has no usable 'image'."));
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new ChartException(problems);
        }

        return Distinct(images);
    }

    /// <summary>The images of every images_*.list file inside the chart folder (subcharts included).</summary>
    public static IReadOnlyList<ChartImage> FromImageLists(string chartFolder, string addon)
    {
        var images = new List<ChartImage>();
        var lists = Directory.EnumerateFiles(chartFolder, "images_*.list", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(chartFolder, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        foreach (var relative in lists)
        {
            images.AddRange(ParseImageList(File.ReadAllText(Path.Combine(chartFolder, relative)), relative, addon));
        }

        return Distinct(images);
    }

    /// <summary>One image a line; blank lines and <c>#</c> comments skipped; a line that is not an image reference is an error.</summary>
    public static IReadOnlyList<ChartImage> ParseImageList(string text, string origin, string addon)
    {
        var images = new List<ChartImage>();
        var problems = new List<ChartProblem>();
        foreach (var (number, column, line) in ListText.Entries(text))
        {
            if (LooksLikeImage(line))
            {
                images.Add(new ChartImage(line, addon, ChartImageSource.ChartList, origin, number));
            }
            else
            {
                problems.Add(new ChartProblem(origin, number, column, $"'{line}' is not an image reference; a list holds one image a line."));
            }
        }

        if (problems.Count > 0)
        {
            throw new ChartException(problems);
        }

        return images;
    }

    private sealed record RenderedDocument(string Text, string? Source, int FirstLine);

    private readonly record struct FoundImage(string Reference, int Line);

    private static IEnumerable<RenderedDocument> SplitDocuments(string manifests)
    {
        var lines = manifests.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var start = 0;
        for (var i = 0; i <= lines.Length; i++)
        {
            if (i < lines.Length && !DocumentSeparator().IsMatch(lines[i]))
            {
                continue;
            }

            var chunk = lines[start..i];
            var source = chunk.Select(l => SourceComment().Match(l)).FirstOrDefault(m => m.Success)?.Groups[1].Value.Trim();
            if (chunk.Any(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')))
            {
                yield return new RenderedDocument(string.Join('\n', chunk), source, start + 1);
            }

            start = i + 1;
        }
    }

    private static void Walk(YamlNode node, Action<FoundImage> found)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var pair = RepositoryAndTag(mapping);
                if (pair is not null)
                {
                    found(pair.Value);
                }

                foreach (var (key, value) in mapping.Children)
                {
                    if (key is YamlScalarNode { Value: "image" } && value is YamlScalarNode { Value: { } reference } && LooksLikeImage(reference))
                    {
                        found(new FoundImage(reference.Trim(), (int)value.Start.Line));
                    }

                    Walk(value, found);
                }

                break;
            case YamlSequenceNode sequence:
                foreach (var child in sequence.Children)
                {
                    Walk(child, found);
                }

                break;
        }
    }

    /// <summary>The image a {registry?, repository, tag and/or digest} mapping names, as Helm values commonly split it.</summary>
    private static FoundImage? RepositoryAndTag(YamlMappingNode mapping)
    {
        string? Scalar(string key) =>
            mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode { Value: { Length: > 0 } value } ? value.Trim() : null;

        var repository = Scalar("repository");
        var tag = Scalar("tag");
        var digest = Scalar("digest");
        if (repository is null || (tag is null && digest is null) || repository.Contains("://", StringComparison.Ordinal))
        {
            return null;
        }

        var registry = Scalar("registry");
        var reference = (registry is null ? repository : $"{registry.TrimEnd('/')}/{repository}")
            + (tag is null ? string.Empty : $":{tag}")
            + (digest is null ? string.Empty : $"@{digest}");
        return LooksLikeImage(reference) ? new FoundImage(reference, (int)mapping.Children[new YamlScalarNode("repository")].Start.Line) : null;
    }

    private static bool LooksLikeImage(string text) => ImageShape().IsMatch(text.Trim());

    private static IReadOnlyList<ChartImage> Distinct(List<ChartImage> images) =>
        images.DistinctBy(i => (i.Reference, i.Origin)).ToList();

    [GeneratedRegex(@"^---(\s.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DocumentSeparator();

    [GeneratedRegex(@"^#\s*Source:\s*(.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex SourceComment();

    // Loose on purpose: normalizing and validating references is the images capability's job; this only keeps out prose and templates.
    [GeneratedRegex(
        @"^(?:[A-Za-z0-9][A-Za-z0-9.\-]*(?::[0-9]+)?/)?[A-Za-z0-9][A-Za-z0-9._\-/]*(?::[A-Za-z0-9_][A-Za-z0-9._\-]{0,127})?(?:@sha256:[a-f0-9]{64})?\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex ImageShape();
}
