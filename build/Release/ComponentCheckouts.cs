using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Cake.Core.IO;
using Lading.Charts;
using Lading.Tools;
using Lading.Tools.Git;
using Path = System.IO.Path;

namespace Lading.Release;

/// <summary>
/// Component repositories under the work folder: one git repository per URL (a chart monorepo named by several
/// repos/*.yaml entries is fetched into one), holding only the tags asked for (no history, file contents on demand
/// where the server allows). Each tag's chart folders are written once into a folder of their own, so entries of one
/// repository on different tags never share a checkout, and a later run reuses what an earlier one fetched.
/// </summary>
public sealed partial class ComponentCheckouts(GitRunner git, string gitBaseUrl, string cacheFolder, Action<string>? log = null)
{
    private const int MaxLinkRounds = 8;
    private const string PathsFile = ".lading-paths";
    private readonly ConcurrentDictionary<string, object> _locks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<GitRemoteTag>>> _remoteTags = new(StringComparer.Ordinal);

    public string UrlOf(ComponentRepo repo) => gitBaseUrl.TrimEnd('/') + "/" + repo.RepositoryFullName.Trim('/');

    /// <summary>The folder of one repository: readable, and keyed by its full URL, so a moved server never reuses another's clone.</summary>
    public string FolderOf(string url) => Path.Combine(cacheFolder, $"{ReleaseWorkspace.FolderName(url)}-{Hash(url)}");

    /// <summary>
    /// Every component's chart folders at its currentTag, in the order given: a folder per repository and tag, each tag
    /// fetched once however many entries name it. Repositories are fetched at most <paramref name="concurrency"/> at once.
    /// </summary>
    public async Task<IReadOnlyList<(ComponentRepo Component, string Folder)>> CheckOutAllAsync(IEnumerable<ComponentRepo> components, int concurrency)
    {
        var all = components.ToList();
        using var gate = new SemaphoreSlim(Math.Max(1, concurrency));
        var folders = new ConcurrentDictionary<(string Url, string Tag), string>();
        await Task.WhenAll(all.GroupBy(UrlOf, StringComparer.Ordinal).Select(async repository =>
        {
            await gate.WaitAsync();
            try
            {
                await Task.Run(() =>
                {
                    lock (LockOf(repository.Key))
                    {
                        var tags = repository.GroupBy(c => c.CurrentTag, StringComparer.Ordinal).ToList();
                        Fetch(repository.Key, tags.Select(t => t.Key));
                        foreach (var tag in tags)
                        {
                            folders[(repository.Key, tag.Key)] = Materialize(repository.Key, tag.Key, tag.SelectMany(c => c.ChartPaths));
                        }
                    }
                });
            }
            finally
            {
                gate.Release();
            }
        }));

        return all.Select(c => (c, folders[(UrlOf(c), c.CurrentTag)])).ToList();
    }

    /// <summary>
    /// The repository's tags, asked for once per run however many entries name it (a chart monorepo's list runs to
    /// thousands of tags).
    /// </summary>
    public IReadOnlyList<GitRemoteTag> RemoteTags(ComponentRepo repo) =>
        _remoteTags.GetOrAdd(UrlOf(repo), url => new Lazy<IReadOnlyList<GitRemoteTag>>(() => git.LsRemoteTags(url))).Value;

    /// <summary>The tag with its message and date, fetched when needed.</summary>
    public GitTag Describe(ComponentRepo repo, string tag)
    {
        var url = UrlOf(repo);
        var directory = new DirectoryPath(GitFolder(url));
        lock (LockOf(url))
        {
            Fetch(url, [tag]);
            var date = git.TagDate(directory, tag);
            return git.IsAnnotatedTag(directory, tag)
                ? GitTag.WithMessage(tag, git.TagMessage(directory, tag), date)
                : GitTag.Lightweight(tag, date);
        }
    }

    private string GitFolder(string url) => Path.Combine(FolderOf(url), "git");

    // One repository folder is used by one thread at a time: git takes its own lock files and fails when they exist.
    private object LockOf(string url) => _locks.GetOrAdd(url, _ => new object());

    /// <summary>Fetches the tags the repository lacks. A repository a killed run left broken is removed and fetched again, once.</summary>
    private void Fetch(string url, IEnumerable<string> tags)
    {
        lock (LockOf(url))
        {
            var folder = FolderOf(url);
            var directory = new DirectoryPath(GitFolder(url));
            var wanted = tags.Distinct(StringComparer.Ordinal).ToList();
            var existed = Directory.Exists(Path.Combine(GitFolder(url), ".git"));
            try
            {
                if (!existed)
                {
                    Remove(folder);
                    Directory.CreateDirectory(GitFolder(url));
                    git.Init(directory);
                }

                // A repository made just now holds no tag: nothing to ask git.
                var missing = existed ? wanted.Where(t => !git.HasTag(directory, t)).ToList() : wanted;
                if (missing.Count > 0)
                {
                    git.FetchTags(directory, url, missing);
                }
            }
            catch (ToolException) when (existed)
            {
                log?.Invoke($"{url}: the clone under {folder} could not be used (left broken by a killed run?); fetching it again");
                Remove(folder);
                Directory.CreateDirectory(GitFolder(url));
                git.Init(directory);
                git.FetchTags(directory, url, wanted);
            }
        }
    }

    /// <summary>
    /// The folder holding <paramref name="chartPaths"/> (and whatever their symbolic links point to inside the repository)
    /// as they are at <paramref name="tag"/>; written once, through a temporary folder, and reused while it holds them all.
    /// </summary>
    private string Materialize(string url, string tag, IEnumerable<string> chartPaths)
    {
        lock (LockOf(url))
        {
            var target = Path.Combine(FolderOf(url), "trees", $"{NotFolderSafe().Replace(tag, "-")}-{Hash(tag)[..8]}");
            var wanted = chartPaths.Select(Normal).Where(p => p.Length > 0).ToHashSet(StringComparer.Ordinal);
            var recorded = Path.Combine(target, PathsFile);
            if (File.Exists(recorded))
            {
                var have = File.ReadAllLines(recorded).ToHashSet(StringComparer.Ordinal);
                if (wanted.IsSubsetOf(have))
                {
                    return target;
                }

                wanted.UnionWith(have);
            }

            var partial = target + ".partial";
            Remove(partial);
            Directory.CreateDirectory(partial);
            var directory = new DirectoryPath(GitFolder(url));
            var revision = $"refs/tags/{tag}";
            var written = new HashSet<string>(StringComparer.Ordinal);
            var next = wanted.ToList();
            for (var round = 0; round < MaxLinkRounds && next.Count > 0; round++)
            {
                var present = git.ExistingPaths(directory, revision, next).Where(p => !written.Contains(p)).ToList();
                if (present.Count == 0)
                {
                    break;
                }

                // Every file of these paths in one request: read one by one, git would ask the server once per file.
                var missing = git.MissingBlobs(directory, revision, present);
                if (missing.Count > 0)
                {
                    git.FetchObjects(directory, url, missing);
                }

                git.CheckoutPathsInto(directory, new DirectoryPath(partial), revision, present);
                written.UnionWith(present);

                // A chart may link to shared files elsewhere in its repository, or depend on a chart beside it
                // (repository: file://../common): those are written too, and checked when collected.
                next = LinkTargets(partial, present).Concat(LocalDependencies(partial, present)).Where(p => !written.Contains(p)).Distinct(StringComparer.Ordinal).ToList();
            }

            File.WriteAllLines(Path.Combine(partial, PathsFile), wanted.Order(StringComparer.Ordinal));
            Remove(target);
            Directory.Move(partial, target);
            return target;
        }
    }

    /// <summary>Targets, relative to the repository root, of the symbolic links under <paramref name="paths"/> that stay inside it and are not written yet.</summary>
    private static IEnumerable<string> LinkTargets(string root, IEnumerable<string> paths)
    {
        foreach (var path in paths.Select(p => Path.Combine(root, p)))
        {
            var entries = Directory.Exists(path)
                ? new DirectoryInfo(path).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
                : File.Exists(path) || new FileInfo(path).LinkTarget is not null ? [new FileInfo(path)] : [];
            foreach (var entry in entries.Where(e => e.LinkTarget is not null))
            {
                var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(entry.FullName)!, entry.LinkTarget!));
                var relative = Path.GetRelativePath(root, resolved).Replace('\\', '/');
                if (!Path.IsPathRooted(entry.LinkTarget!) && relative != ".." && !relative.StartsWith("../", StringComparison.Ordinal) && !Path.Exists(resolved))
                {
                    yield return relative;
                }
            }
        }
    }

    /// <summary>The folders, relative to the repository root, of the charts those under <paramref name="paths"/> depend on by <c>file://</c>, not written yet.</summary>
    private static IEnumerable<string> LocalDependencies(string root, IEnumerable<string> paths)
    {
        foreach (var chart in paths.Select(p => Path.Combine(root, p)).Where(Directory.Exists))
        {
            foreach (var local in ChartDependencies.Declared(chart).Select(d => d.LocalPath).OfType<string>())
            {
                var resolved = Path.GetFullPath(Path.Combine(chart, local));
                var relative = Path.GetRelativePath(root, resolved).Replace('\\', '/');
                if (!Path.IsPathRooted(local) && relative != ".." && !relative.StartsWith("../", StringComparison.Ordinal) && !Path.Exists(resolved))
                {
                    yield return relative;
                }
            }
        }
    }

    private static string Normal(string chartPath)
    {
        var path = chartPath.Replace('\\', '/').Trim().TrimEnd('/');
        while (path.StartsWith("./", StringComparison.Ordinal))
        {
            path = path[2..];
        }

        return path.TrimStart('/');
    }

    private static void Remove(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex NotFolderSafe();
}
