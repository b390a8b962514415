using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lading.Images;

/// <summary>One line of images_origin.yaml: the upstream repository and the site repository it is stored under.</summary>
public sealed record OriginRule(string Source, string Destination, string File, int Line, int Column)
{
    public string Location => $"{File}:{Line}:{Column}";
}

/// <summary>
/// images_origin.yaml: <c>- {src: k8s.gcr.io/coredns, dest: library/coredns}</c>. It maps an upstream image to the
/// site name it is stored under, and a site name back to the upstream image to pull it from.
/// </summary>
public sealed class OriginMapping
{
    private readonly Dictionary<string, OriginRule> bySource;
    private readonly Dictionary<string, OriginRule> byDestination;

    private OriginMapping(IReadOnlyList<OriginRule> rules)
    {
        Rules = rules;
        bySource = rules.ToDictionary(r => r.Source, StringComparer.Ordinal);
        byDestination = rules.ToDictionary(r => r.Destination, StringComparer.Ordinal);
    }

    /// <summary>The largest images_origin.yaml read: ten thousand rules are well under a megabyte.</summary>
    public const long MaxBytes = 16L << 20;

    public static OriginMapping Empty { get; } = new([]);

    public IReadOnlyList<OriginRule> Rules { get; }

    public static OriginMapping Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new OriginMappingException([$"{path}: the origin mapping file does not exist"]);
        }

        if (new FileInfo(path).Length is var length and > MaxBytes)
        {
            throw new OriginMappingException([$"{path}: is {length} bytes; an origin mapping is at most {MaxBytes >> 20} MiB"]);
        }

        return Parse(File.ReadAllText(path), path);
    }

    public static OriginMapping Parse(string yaml, string file)
    {
        var problems = new List<string>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException error)
        {
            throw new OriginMappingException([$"{file}:{error.Start.Line}:{error.Start.Column}: not valid YAML: {error.InnerException?.Message ?? error.Message}"]);
        }
        catch (InvalidOperationException)
        {
            // The YAML scanner fails this way on some broken flow collections, without a position.
            throw new OriginMappingException([$"{file}: not valid YAML (an unclosed [ or {{?)"]);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return Empty;
        }

        var root = stream.Documents[0].RootNode;
        if (root is not YamlSequenceNode sequence)
        {
            throw new OriginMappingException([$"{At(file, root)}: expected a list of {{src: <upstream repository>, dest: <site repository>}}"]);
        }

        var rules = new List<OriginRule>();
        foreach (var item in sequence.Children)
        {
            var rule = ReadRule(file, item, problems);
            if (rule is not null)
            {
                rules.Add(rule);
            }
        }

        foreach (var group in rules.GroupBy(r => r.Destination).Where(g => g.Count() > 1))
        {
            var first = group.First();
            foreach (var other in group.Skip(1))
            {
                problems.Add(other.Source == first.Source
                    ? $"{other.Location}: src '{other.Source}' is mapped twice (first at {first.Location})"
                    : $"{other.Location}: dest '{other.Destination}' already receives '{first.Source}' ({first.Location}); two sources cannot share one destination");
            }
        }

        foreach (var group in rules.GroupBy(r => r.Source).Where(g => g.Select(r => r.Destination).Distinct().Count() > 1))
        {
            var first = group.First();
            foreach (var other in group.Skip(1).Where(r => r.Destination != first.Destination))
            {
                problems.Add($"{other.Location}: src '{other.Source}' is already mapped to '{first.Destination}' ({first.Location}); one source has one destination");
            }
        }

        if (problems.Count > 0)
        {
            throw new OriginMappingException(problems);
        }

        return new OriginMapping(rules);
    }

    /// <summary>
    /// The site name an image is stored under: a mapped full reference takes its rule's dest, any other keeps its
    /// path without the host. The tag and digest are kept.
    /// </summary>
    public ImageReference SiteNameOf(ImageReference reference)
    {
        var repository = reference.HasExplicitRegistry && bySource.TryGetValue(reference.Name, out var rule)
            ? rule.Destination
            : reference.Repository;
        return ImageReference.ForSite(repository, reference.Tag, reference.Digest);
    }

    /// <summary>The upstream image a site name comes from, or null when no rule has it as dest.</summary>
    public ImageReference? UpstreamOf(ImageReference siteName)
    {
        if (!byDestination.TryGetValue(siteName.Repository, out var rule))
        {
            return null;
        }

        return ImageReference.Parse(rule.Source + siteName.Suffix);
    }

    private static OriginRule? ReadRule(string file, YamlNode item, List<string> problems)
    {
        if (item is not YamlMappingNode mapping)
        {
            problems.Add($"{At(file, item)}: expected {{src: <upstream repository>, dest: <site repository>}}");
            return null;
        }

        string? source = null;
        string? destination = null;
        var valid = true;
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value;
            var value = (valueNode as YamlScalarNode)?.Value;
            if (key is not ("src" or "dest"))
            {
                problems.Add(key is null
                    ? $"{At(file, keyNode)}: a key must be a name, not a list or map (only src and dest)"
                    : $"{At(file, keyNode)}: unknown key '{key}'{Cake.Frosting.DidYouMean.Hint(key, ["src", "dest"])} (only src and dest)");
                valid = false;
                continue;
            }

            if (string.IsNullOrWhiteSpace(value))
            {
                problems.Add($"{At(file, valueNode)}: {key} must be a repository name");
                valid = false;
                continue;
            }

            var reason = key == "src" ? CheckSource(value) : CheckDestination(value);
            if (reason is not null)
            {
                problems.Add($"{At(file, valueNode)}: {key} '{value}' {reason}");
                valid = false;
                continue;
            }

            if (key == "src")
            {
                source = ImageReference.Parse(value).Name;
            }
            else
            {
                destination = value;
            }
        }

        foreach (var (name, value) in new[] { ("src", source), ("dest", destination) })
        {
            if (value is null && valid)
            {
                problems.Add($"{At(file, mapping)}: the entry has no {name}");
                valid = false;
            }
        }

        return valid ? new OriginRule(source!, destination!, file, (int)mapping.Start.Line, (int)mapping.Start.Column) : null;
    }

    private static string? CheckSource(string value)
    {
        if (!ImageReference.TryParse(value, out var reference, out var reason))
        {
            return $"is not a repository: {reason}";
        }

        return reference.Digest is not null || value.EndsWith(":" + reference.Tag, StringComparison.Ordinal)
            ? "must name a repository without tag or digest"
            : null;
    }

    private static string? CheckDestination(string value)
    {
        if (!ImageReference.TryParse(value, out var reference, out var reason))
        {
            return $"is not a repository: {reason}";
        }

        if (reference.HasExplicitRegistry)
        {
            return "must be a site repository without registry host, like library/coredns";
        }

        if (reference.Repository != value)
        {
            return $"must be written in full, as '{reference.Repository}'";
        }

        return reference.Digest is not null || value.Contains(':') ? "must name a repository without tag or digest" : null;
    }

    private static string At(string file, YamlNode node) => $"{file}:{node.Start.Line}:{node.Start.Column}";
}

/// <summary>An images_origin.yaml with mistakes; every one is in <see cref="Problems"/> with file:line:column.</summary>
public sealed class OriginMappingException(IReadOnlyList<string> problems)
    : Exception($"The image origin mapping has {problems.Count} problem(s):{Environment.NewLine}{string.Join(Environment.NewLine, problems.Select(p => "  " + p))}")
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
