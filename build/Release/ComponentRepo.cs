using YamlDotNet.RepresentationModel;

namespace Lading.Release;

/// <summary>One component of the platform as a repos/*.yaml entry names it: where its charts live and which tag is released.</summary>
public sealed record ComponentRepo(
    string RepositoryFullName,
    string? BaseVersion,
    string CurrentTag,
    IReadOnlyList<string> ChartPaths,
    string TargetChartPath,
    string File,
    int Line,
    int Column)
{
    /// <summary>Who answers for the component: chat user ids or emails, mentioned in the notices about it.</summary>
    public IReadOnlyList<string> Owners { get; init; } = [];

    /// <summary>The folder, relative to the release repo, each chart path is copied to: targetChartPath/basename(chartPath).</summary>
    public IEnumerable<string> AddonFolders => ChartPaths.Select(p => $"{TargetChartPath.TrimEnd('/')}/{p.TrimEnd('/').Split('/')[^1]}");

    /// <summary>Where the entry is written, for messages: file:line:column.</summary>
    public string Place => $"{File}:{Line}:{Column}";
}

/// <summary>
/// One repos/*.yaml file, in either shape: a plain list of component repos, or metadata plus a spec list.
/// Kept as its exact text so that a new currentTag changes only that value.
/// </summary>
public sealed class ComponentRepoFile
{
    private static readonly string[] EntryKeys = ["repositoryFullName", "baseVersion", "currentTag", "chartPaths", "targetChartPath", "owners"];
    private static readonly string[] RequiredKeys = ["repositoryFullName", "currentTag", "chartPaths", "targetChartPath"];

    private readonly YamlDocument _document;
    private readonly IReadOnlyList<YamlScalarNode> _currentTags;

    private ComponentRepoFile(YamlDocument document, string? name, string? description, IReadOnlyList<ComponentRepo> repos, IReadOnlyList<YamlScalarNode> currentTags)
    {
        _document = document;
        Name = name;
        Description = description;
        Repos = repos;
        _currentTags = currentTags;
    }

    public string Path => _document.File;

    /// <summary>The file's exact text.</summary>
    public string Text => _document.Text;

    /// <summary>metadata.name, in the metadata+spec shape.</summary>
    public string? Name { get; }

    public string? Description { get; }

    public IReadOnlyList<ComponentRepo> Repos { get; }

    public static ComponentRepoFile Load(string path) => From(YamlDocument.Read(path));

    public static ComponentRepoFile Parse(string text, string path) => From(YamlDocument.Parse(text, path));

    /// <summary>Reads every repos/*.yaml (and *.yml) in the folder, reporting every problem of every file at once.</summary>
    public static IReadOnlyList<ComponentRepoFile> LoadFolder(string reposFolder)
    {
        if (!Directory.Exists(reposFolder))
        {
            throw new ReleaseException(new ReleaseProblem(reposFolder, "the repos folder is missing; it lists the component repos of the release."));
        }

        var files = new List<ComponentRepoFile>();
        var problems = new List<ReleaseProblem>();
        var paths = Directory.EnumerateFiles(reposFolder)
            .Where(p => p.EndsWith(".yaml", StringComparison.Ordinal) || p.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            try
            {
                files.Add(Load(path));
            }
            catch (ReleaseException e)
            {
                problems.AddRange(e.Problems);
            }
        }

        problems.AddRange(SharedAddonFolders(files.SelectMany(f => f.Repos)));
        if (problems.Count > 0)
        {
            throw new ReleaseException(problems);
        }

        return files;
    }

    /// <summary>Two entries copying charts into one addon folder would overwrite each other.</summary>
    public static IEnumerable<ReleaseProblem> SharedAddonFolders(IEnumerable<ComponentRepo> repos) =>
        repos
            .SelectMany(r => r.AddonFolders.Select(folder => (Folder: folder, Repo: r)))
            .GroupBy(x => x.Folder, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .SelectMany(g => g.Skip(1).Select(x => new ReleaseProblem(
                x.Repo.File, x.Repo.Line, x.Repo.Column,
                $"{x.Repo.RepositoryFullName} writes addon folder '{g.Key}', which {g.First().Repo.RepositoryFullName} ({g.First().Repo.Place}) writes too; give one of them another chart path or target.")));

    /// <summary>The owners of each addon folder (targetChartPath/name) the components write, for notices about a chart.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> OwnersByAddon(IEnumerable<ComponentRepo> repos) =>
        repos.SelectMany(r => r.AddonFolders.Select(folder => (Addon: folder.Split('/')[^1], r.Owners)))
            .GroupBy(x => x.Addon, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.SelectMany(x => x.Owners).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);

    /// <summary>The files whose text changes when every moved component gets its new tag, each with every change applied.</summary>
    public static IEnumerable<ComponentRepoFile> WithNewTags(IEnumerable<ComponentRepoFile> files, IReadOnlyList<TagChange> changes)
    {
        foreach (var file in files)
        {
            var updated = file;
            foreach (var change in changes.Where(c => c.Changed && c.Repo.File == file.Path))
            {
                updated = updated.WithCurrentTag(change.Repo, change.NewTag);
            }

            if (updated.Text != file.Text)
            {
                yield return updated;
            }
        }
    }

    /// <summary>This file with <paramref name="repo"/>'s currentTag set to <paramref name="tag"/>, nothing else in the text changed.</summary>
    public ComponentRepoFile WithCurrentTag(ComponentRepo repo, string tag)
    {
        var index = Repos.ToList().FindIndex(r => r.Line == repo.Line && r.Column == repo.Column && r.RepositoryFullName == repo.RepositoryFullName);
        if (index < 0)
        {
            throw new ArgumentException($"{repo.RepositoryFullName} ({repo.Place}) is not an entry of {Path}.", nameof(repo));
        }

        if (string.IsNullOrWhiteSpace(tag))
        {
            throw new ArgumentException("A tag cannot be empty.", nameof(tag));
        }

        if (Repos[index].CurrentTag == tag)
        {
            return this;
        }

        return From(YamlDocument.Parse(_document.WithScalar(_currentTags[index], tag), Path, _document.ByteOrderMark));
    }

    /// <summary>Writes the text back to <see cref="Path"/>, atomically, keeping a byte order mark if the file had one.</summary>
    public Task SaveAsync(CancellationToken cancellationToken = default) => YamlDocument.WriteAsync(Path, Text, _document.ByteOrderMark, cancellationToken);

    private static ComponentRepoFile From(YamlDocument document)
    {
        var problems = new List<ReleaseProblem>();
        string? name = null;
        string? description = null;
        YamlSequenceNode? spec = null;
        switch (document.Root)
        {
            case null:
            case YamlScalarNode { Value: null or "" or "~" or "null" }:
                break;
            case YamlSequenceNode list:
                spec = list;
                break;
            case YamlMappingNode mapping:
                foreach (var (keyNode, value) in mapping.Children)
                {
                    var key = (keyNode as YamlScalarNode)?.Value;
                    switch (key)
                    {
                        case "spec" when value is YamlSequenceNode list:
                            spec = list;
                            break;
                        case "spec":
                            problems.Add(document.ProblemAt(value, "'spec' must be a list of component repos."));
                            break;
                        case "metadata" when value is YamlMappingNode metadata:
                            (name, description) = ReadMetadata(document, metadata, problems);
                            break;
                        case "metadata":
                            problems.Add(document.ProblemAt(value, "'metadata' must be a mapping with name and description."));
                            break;
                        case "apiVersion" or "kind":
                            break;
                        default:
                            problems.Add(document.ProblemAt(keyNode, $"unknown key '{key}'; a repos file is a list of component repos, or metadata and spec."));
                            break;
                    }
                }

                if (!mapping.Children.ContainsKey(new YamlScalarNode("spec")))
                {
                    problems.Add(document.ProblemAt(mapping, "'spec' is missing: it lists the component repos."));
                }

                break;
            default:
                problems.Add(document.ProblemAt(document.Root, "a repos file must be a list of component repos, or a mapping with metadata and spec."));
                break;
        }

        var repos = new List<ComponentRepo>();
        var currentTags = new List<YamlScalarNode>();
        foreach (var item in spec?.Children ?? [])
        {
            if (ReadEntry(document, item, problems) is { } entry)
            {
                repos.Add(entry.Repo);
                currentTags.Add(entry.CurrentTag);
            }
        }

        if (problems.Count > 0)
        {
            throw new ReleaseException(problems);
        }

        return new ComponentRepoFile(document, name, description, repos, currentTags);
    }

    private static (string? Name, string? Description) ReadMetadata(YamlDocument document, YamlMappingNode metadata, List<ReleaseProblem> problems)
    {
        string? name = null;
        string? description = null;
        foreach (var (keyNode, value) in metadata.Children)
        {
            switch ((keyNode as YamlScalarNode)?.Value)
            {
                case "name":
                    name = ReadString(document, value, "metadata.name", problems);
                    break;
                case "description":
                    description = (value as YamlScalarNode)?.Value;
                    break;
                case var key:
                    problems.Add(document.ProblemAt(keyNode, $"unknown key '{key}' in metadata; known keys are name and description."));
                    break;
            }
        }

        return (name, description);
    }

    private static (ComponentRepo Repo, YamlScalarNode CurrentTag)? ReadEntry(YamlDocument document, YamlNode item, List<ReleaseProblem> problems)
    {
        if (item is not YamlMappingNode entry)
        {
            problems.Add(document.ProblemAt(item, "a component repo must be a mapping with repositoryFullName, currentTag, chartPaths and targetChartPath."));
            return null;
        }

        var before = problems.Count;
        string? repositoryFullName = null, baseVersion = null, currentTag = null, targetChartPath = null;
        YamlScalarNode? currentTagNode = null;
        List<string>? chartPaths = null;
        List<string> owners = [];
        foreach (var (keyNode, value) in entry.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value;
            switch (key)
            {
                case "repositoryFullName":
                    repositoryFullName = ReadString(document, value, key, problems);
                    if (repositoryFullName is not null && (repositoryFullName.StartsWith('/') || repositoryFullName.Split('/').Any(s => s is "" or "." or "..") || repositoryFullName.Any(char.IsWhiteSpace)))
                    {
                        problems.Add(document.ProblemAt(value, $"repositoryFullName '{repositoryFullName}' must look like owner/name (no spaces, no empty, '.' or '..' parts)."));
                    }

                    break;
                case "baseVersion":
                    baseVersion = ReadString(document, value, key, problems);
                    break;
                case "currentTag":
                    currentTag = ReadString(document, value, key, problems);
                    currentTagNode = value as YamlScalarNode;
                    break;
                case "targetChartPath":
                    targetChartPath = ReadRelativePath(document, value, key, problems);
                    break;
                case "chartPaths" when value is YamlSequenceNode paths:
                    chartPaths = paths.Children.Select(p => ReadRelativePath(document, p, "each of chartPaths", problems)).OfType<string>().ToList();
                    if (paths.Children.Count == 0)
                    {
                        problems.Add(document.ProblemAt(value, "chartPaths is empty; list at least one chart folder of the component repo."));
                    }

                    break;
                case "chartPaths":
                    problems.Add(document.ProblemAt(value, "chartPaths must be a list of chart folders, such as [manifests/cyclone]."));
                    break;
                case "owners" when value is YamlSequenceNode people:
                    owners = people.Children.Select(p => ReadString(document, p, "each of owners", problems)).OfType<string>().ToList();
                    break;
                case "owners" when value is YamlScalarNode:
                    owners = [ReadString(document, value, key, problems)!];
                    break;
                case "owners":
                    problems.Add(document.ProblemAt(value, "owners must be a list of chat user ids or emails, such as [zhangsan, lisi@example.com]."));
                    break;
                case null:
                    problems.Add(document.ProblemAt(keyNode, "a key must be a name, not a list or map."));
                    break;
                default:
                    problems.Add(document.ProblemAt(keyNode, $"unknown key '{key}'{Cake.Frosting.DidYouMean.Hint(key, EntryKeys)}; known keys are {string.Join(", ", EntryKeys)}."));
                    break;
            }
        }

        foreach (var required in RequiredKeys.Where(k => !entry.Children.ContainsKey(new YamlScalarNode(k))))
        {
            problems.Add(document.ProblemAt(entry, $"'{required}' is missing."));
        }

        if (problems.Count > before)
        {
            return null;
        }

        var repo = new ComponentRepo(repositoryFullName!, baseVersion, currentTag!, chartPaths!, targetChartPath!, document.File, (int)entry.Start.Line, (int)entry.Start.Column) { Owners = owners };
        return (repo, currentTagNode!);
    }

    private static string? ReadString(YamlDocument document, YamlNode value, string what, List<ReleaseProblem> problems)
    {
        if (YamlDocument.IsStringValue(value, out var text))
        {
            return text;
        }

        problems.Add(document.ProblemAt(value, $"{what} must be a non-empty string."));
        return null;
    }

    private static string? ReadRelativePath(YamlDocument document, YamlNode value, string what, List<ReleaseProblem> problems)
    {
        var path = ReadString(document, value, what, problems);
        if (path is not null && (path.StartsWith('/') || path.Replace('\\', '/').Split('/').Contains("..")))
        {
            problems.Add(document.ProblemAt(value, $"'{path}' must be a path inside the repo: relative, without '..'."));
            return null;
        }

        return path;
    }
}
