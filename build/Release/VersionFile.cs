using YamlDotNet.RepresentationModel;

namespace Lading.Release;

/// <summary>An addon as version.yml lists it under its module: name == chart folder == Chart.yaml name; version == chart version.</summary>
/// <remarks>An addon or module without <c>enable</c> counts as enabled.</remarks>
public sealed record Addon(string Module, string Name, string? Namespace, bool Enable, string? Version, string? Description, string File, int Line, int Column)
{
    public string Place => $"{File}:{Line}:{Column}";
}

/// <summary>A module of version.yml and its addons.</summary>
public sealed record Module(string Name, string? Description, bool Enable, IReadOnlyList<Addon> Addons, int Line, int Column);

/// <summary>One addon whose version changes.</summary>
public sealed record VersionChange(Addon Addon, string? OldVersion, string NewVersion);

/// <summary>
/// What updating version.yml from the collected charts did: the new file, the versions changed, the charts version.yml
/// does not list, and the addons it lists that have no chart.
/// </summary>
public sealed record VersionUpdate(VersionFile File, IReadOnlyList<VersionChange> Changes, IReadOnlyList<string> ChartsNotInVersionFile, IReadOnlyList<Addon> AddonsWithoutChart)
{
    public bool Changed => Changes.Count > 0;
}

/// <summary>
/// The release repo's version.yml (spec.modules[].addons[]), kept as its exact text: updating versions rewrites only
/// those values, so comments, order and formatting stay as they were.
/// </summary>
public sealed class VersionFile
{
    public const string FileName = "version.yml";

    // The keys recipes/version.schema.json allows at each level; anything else is a mistake (a typo would be ignored).
    private static readonly string[] RootKeys = ["spec", "apiVersion", "kind", "metadata"];
    private static readonly string[] SpecKeys = ["modules"];
    private static readonly string[] ModuleKeys = ["name", "description", "enable", "addons"];
    private static readonly string[] AddonKeys = ["name", "description", "enable", "namespace", "version"];

    private readonly YamlDocument _document;
    private readonly IReadOnlyList<(YamlMappingNode Mapping, YamlScalarNode NameNode, YamlScalarNode? VersionNode)> _addonNodes;

    private VersionFile(YamlDocument document, IReadOnlyList<Module> modules, IReadOnlyList<(YamlMappingNode, YamlScalarNode, YamlScalarNode?)> addonNodes)
    {
        _document = document;
        Modules = modules;
        _addonNodes = addonNodes;
    }

    public string Path => _document.File;

    public string Text => _document.Text;

    public IReadOnlyList<Module> Modules { get; }

    /// <summary>Every addon of every module, in file order.</summary>
    public IReadOnlyList<Addon> Addons => Modules.SelectMany(m => m.Addons).ToList();

    public static VersionFile Load(string path) => From(YamlDocument.Read(path));

    /// <summary>Each addon's namespace (the first entry's, should an addon be listed twice).</summary>
    public IReadOnlyDictionary<string, string?> Namespaces() =>
        Addons.GroupBy(a => a.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Namespace, StringComparer.Ordinal);

    public static VersionFile Parse(string text, string path) => From(YamlDocument.Parse(text, path));

    /// <summary>
    /// Sets each listed addon's version to its chart's version (<paramref name="chartVersions"/>: chart name to version),
    /// adding a version line where an addon has none.
    /// </summary>
    public VersionUpdate WithVersions(IReadOnlyDictionary<string, string> chartVersions)
    {
        var addons = Addons;
        var changes = new List<VersionChange>();
        var edits = new List<(int Start, int End, string Text)>();
        for (var i = 0; i < addons.Count; i++)
        {
            var addon = addons[i];
            if (!chartVersions.TryGetValue(addon.Name, out var version) || addon.Version == version)
            {
                continue;
            }

            changes.Add(new VersionChange(addon, addon.Version, version));
            var (mapping, nameNode, versionNode) = _addonNodes[i];
            edits.Add(versionNode is not null ? ReplaceVersion(versionNode, version) : InsertVersion(mapping, nameNode, version));
        }

        // Apply from the end of the text so earlier offsets stay valid.
        var text = Text;
        foreach (var (start, end, replacement) in edits.OrderByDescending(e => e.Start))
        {
            text = string.Concat(text.AsSpan(0, start), replacement, text.AsSpan(end));
        }

        var listed = addons.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var file = changes.Count == 0 ? this : From(YamlDocument.Parse(text, Path, _document.ByteOrderMark));
        return new VersionUpdate(
            file,
            changes,
            chartVersions.Keys.Where(name => !listed.Contains(name)).Order(StringComparer.Ordinal).ToList(),
            addons.Where(a => !chartVersions.ContainsKey(a.Name)).ToList());
    }

    /// <summary>Writes the text back to <see cref="Path"/>, atomically, keeping a byte order mark if the file had one.</summary>
    public Task SaveAsync(CancellationToken cancellationToken = default) => YamlDocument.WriteAsync(Path, Text, _document.ByteOrderMark, cancellationToken);

    private (int, int, string) ReplaceVersion(YamlScalarNode node, string version) =>
        ((int)node.Start.Index, (int)node.End.Index, _document.ScalarReplacement(node, version));

    private (int, int, string) InsertVersion(YamlMappingNode mapping, YamlScalarNode nameNode, string version)
    {
        var value = YamlDocument.PlainOrQuoted(version);
        var afterName = (int)nameNode.End.Index;
        if (mapping.Style == YamlDotNet.Core.Events.MappingStyle.Flow)
        {
            return (afterName, afterName, $", version: {value}");
        }

        // A new line below the name, at the name's indentation; a comment after the name stays on its line.
        var lineEnd = Text.IndexOf('\n', afterName);
        var newline = Text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var indent = new string(' ', (int)mapping.Children.First(pair => ReferenceEquals(pair.Value, nameNode)).Key.Start.Column - 1);
        if (lineEnd < 0)
        {
            return (Text.Length, Text.Length, $"{newline}{indent}version: {value}");
        }

        var insertAt = Text[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
        return (insertAt, insertAt, $"{newline}{indent}version: {value}");
    }

    private static VersionFile From(YamlDocument document)
    {
        var problems = new List<ReleaseProblem>();
        var modules = new List<Module>();
        var addonNodes = new List<(YamlMappingNode, YamlScalarNode, YamlScalarNode?)>();
        var root = document.Root as YamlMappingNode;
        var spec = root is null ? null : Child(root, "spec");
        var moduleList = spec is YamlMappingNode specMapping ? Child(specMapping, "modules") : null;
        if (root is null)
        {
            problems.Add(document.Root is null
                ? new ReleaseProblem(document.File, "is empty; it must hold spec.modules.")
                : document.ProblemAt(document.Root, "version.yml must be a mapping with spec.modules."));
        }
        else if (spec is not YamlMappingNode)
        {
            problems.Add(document.ProblemAt(spec ?? root, spec is null ? "'spec' is missing." : "'spec' must be a mapping with modules."));
        }
        else if (moduleList is not YamlSequenceNode)
        {
            problems.Add(document.ProblemAt(moduleList ?? spec, moduleList is null ? "'spec.modules' is missing." : "'spec.modules' must be a list of modules."));
        }

        UnknownKeys(document, root, RootKeys, "version.yml", problems);
        UnknownKeys(document, spec as YamlMappingNode, SpecKeys, "spec", problems);

        foreach (var moduleNode in (moduleList as YamlSequenceNode)?.Children ?? [])
        {
            if (moduleNode is not YamlMappingNode module)
            {
                problems.Add(document.ProblemAt(moduleNode, "a module must be a mapping with name and addons."));
                continue;
            }

            UnknownKeys(document, module, ModuleKeys, "a module", problems);
            var moduleName = RequiredString(document, module, "name", "module", problems);
            var addons = new List<Addon>();
            switch (Child(module, "addons"))
            {
                case null:
                case YamlScalarNode { Value: null or "" or "~" or "null" }:
                    break;
                case YamlSequenceNode list:
                    foreach (var addonNode in list.Children)
                    {
                        if (addonNode is not YamlMappingNode addon)
                        {
                            problems.Add(document.ProblemAt(addonNode, "an addon must be a mapping with name, namespace, enable and version."));
                            continue;
                        }

                        UnknownKeys(document, addon, AddonKeys, "an addon", problems);
                        var name = RequiredString(document, addon, "name", "addon", problems);
                        var versionNode = Child(addon, "version");
                        var version = OptionalString(document, addon, "version", problems);
                        var @namespace = OptionalString(document, addon, "namespace", problems);
                        var enable = OptionalBool(document, addon, "enable", problems);
                        if (name is not null && moduleName is not null)
                        {
                            addons.Add(new Addon(moduleName, name, @namespace, enable, version, ScalarText(addon, "description"), document.File, (int)addon.Start.Line, (int)addon.Start.Column));
                            addonNodes.Add((addon, (YamlScalarNode)Child(addon, "name")!, versionNode as YamlScalarNode));
                        }
                    }

                    break;
                case var other:
                    problems.Add(document.ProblemAt(other, "'addons' must be a list of addons."));
                    break;
            }

            var moduleEnable = OptionalBool(document, module, "enable", problems);
            if (moduleName is not null)
            {
                modules.Add(new Module(moduleName, ScalarText(module, "description"), moduleEnable, addons, (int)module.Start.Line, (int)module.Start.Column));
            }
        }

        if (problems.Count > 0)
        {
            throw new ReleaseException(problems);
        }

        return new VersionFile(document, modules, addonNodes);
    }

    private static void UnknownKeys(YamlDocument document, YamlMappingNode? mapping, string[] known, string what, List<ReleaseProblem> problems)
    {
        foreach (var key in mapping?.Children.Keys ?? [])
        {
            var name = (key as YamlScalarNode)?.Value;
            if (name is null)
            {
                problems.Add(document.ProblemAt(key, "a key must be a name, not a list or map."));
            }
            else if (!known.Contains(name))
            {
                problems.Add(document.ProblemAt(key, $"unknown key '{name}'{Cake.Frosting.DidYouMean.Hint(name, known)}; {what} has {string.Join(", ", known)}."));
            }
        }
    }

    private static YamlNode? Child(YamlMappingNode mapping, string key) => mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static string? ScalarText(YamlMappingNode mapping, string key) => (Child(mapping, key) as YamlScalarNode)?.Value;

    private static string? RequiredString(YamlDocument document, YamlMappingNode mapping, string key, string what, List<ReleaseProblem> problems)
    {
        var node = Child(mapping, key);
        if (node is null)
        {
            problems.Add(document.ProblemAt(mapping, $"the {what}'s '{key}' is missing."));
            return null;
        }

        if (YamlDocument.IsStringValue(node, out var value))
        {
            return value;
        }

        problems.Add(document.ProblemAt(node, $"the {what}'s '{key}' must be a non-empty string."));
        return null;
    }

    private static string? OptionalString(YamlDocument document, YamlMappingNode mapping, string key, List<ReleaseProblem> problems)
    {
        var node = Child(mapping, key);
        if (node is null or YamlScalarNode { Value: "" or "~" or "null", Style: YamlDotNet.Core.ScalarStyle.Plain })
        {
            return null;
        }

        if (YamlDocument.IsStringValue(node, out var value))
        {
            return value;
        }

        problems.Add(document.ProblemAt(node, $"'{key}' must be a string."));
        return null;
    }

    private static bool OptionalBool(YamlDocument document, YamlMappingNode mapping, string key, List<ReleaseProblem> problems)
    {
        switch (Child(mapping, key))
        {
            case null:
                return true;
            case YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "true" or "True" or "TRUE" }:
                return true;
            case YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "false" or "False" or "FALSE" }:
                return false;
            case var other:
                problems.Add(document.ProblemAt(other, $"'{key}' must be true or false."));
                return false;
        }
    }
}
