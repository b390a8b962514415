using Cake.Core.IO;
using Lading.Tools;
using Lading.Tools.Git;

namespace Lading.Release;

/// <summary>
/// The release repo a build works on: a git URL cloned (or brought up to date) under the work folder,
/// or a local working tree used in place.
/// </summary>
public sealed class ReleaseWorkspace
{
    private readonly GitRunner _git;

    private ReleaseWorkspace(GitRunner git, string root, string source, string? branch, bool isClone, string? gitTopLevel)
    {
        _git = git;
        Root = root;
        Source = source;
        Branch = branch;
        IsClone = isClone;
        GitTopLevel = gitTopLevel;
    }

    /// <summary>The release repo's folder: addons/, repos/, images/, version.yml live here.</summary>
    public string Root { get; }

    /// <summary>The URL or path it was opened from, for messages.</summary>
    public string Source { get; }

    public string? Branch { get; }

    /// <summary>True when Lading cloned it (and may reset it); false for a working tree used in place.</summary>
    public bool IsClone { get; }

    /// <summary>The git work tree holding <see cref="Root"/>, or null when it is no git repository.</summary>
    public string? GitTopLevel { get; }

    public DirectoryPath Directory => new(Root);

    public string PathOf(string relative) => System.IO.Path.Combine(Root, relative);

    /// <summary>
    /// Opens <paramref name="source"/>: an existing folder is used in place (refused when it has uncommitted changes,
    /// unless <paramref name="allowDirty"/>); anything else is a git URL, cloned under <paramref name="workFolder"/>
    /// or, when cloned before, fetched and reset to the branch.
    /// </summary>
    public static ReleaseWorkspace Open(GitRunner git, string source, string? branch, string workFolder, string workingDirectory, bool allowDirty, Action<string>? say = null)
    {
        var local = System.IO.Path.GetFullPath(source, workingDirectory);
        if (System.IO.Directory.Exists(local))
        {
            var top = git.TopLevel(new DirectoryPath(local));
            if (top is not null && !allowDirty)
            {
                var dirty = git.Status(new DirectoryPath(local), ".");
                if (dirty.Count > 0)
                {
                    throw new ReleaseException(new ReleaseProblem(source,
                        $"the release repo has {dirty.Count} uncommitted change(s) ({string.Join(", ", dirty.Take(5).Select(d => d[3..]))}); commit or stash them, or pass --allow-dirty"));
                }
            }

            if (top is not null && branch is not null && git.CurrentBranch(new DirectoryPath(local)) is { } current && current != branch)
            {
                throw new ReleaseException(new ReleaseProblem(source, $"the release repo is on branch {current}, not {branch}; check out {branch} or drop --branch"));
            }

            return new ReleaseWorkspace(git, local, source, branch ?? (top is null ? null : git.CurrentBranch(new DirectoryPath(local))), isClone: false, top);
        }

        if (LooksLikePath(source))
        {
            throw new ReleaseException(new ReleaseProblem(source,
                $"the release repo does not exist: there is no folder {local} (give releaseRepo, --release-repo or LADING_RELEASE_REPO a working tree or a git URL)"));
        }

        // Keyed by the full URL: a job repointed at another server never fetches through a clone of the old one.
        var clone = System.IO.Path.Combine(workFolder, "release-repo", $"{FolderName(source)}-{UrlHash(source)}");
        // Builds beside each other in one workspace share the clone: one clones or updates it at a time.
        using var held = BuildLock.Acquire(clone + ".lock", $"the clone of {source}", say ?? (_ => { }));
        string target;
        try
        {
            target = CloneOrUpdate(git, source, branch, clone);
        }
        catch (ToolException) when (System.IO.Directory.Exists(clone))
        {
            // A clone a killed run left half-updated (lock files, a broken index) is thrown away and made again, once.
            System.IO.Directory.Delete(clone, recursive: true);
            target = CloneOrUpdate(git, source, branch, clone);
        }

        return new ReleaseWorkspace(git, clone, source, target, isClone: true, clone);
    }

    private static string CloneOrUpdate(GitRunner git, string source, string? branch, string clone)
    {
        var directory = new DirectoryPath(clone);
        if (!System.IO.Directory.Exists(System.IO.Path.Combine(clone, ".git")))
        {
            // Cloned beside its final place and renamed, so a killed clone never looks like a finished one.
            var partial = clone + ".partial";
            foreach (var leftover in new[] { partial, clone }.Where(System.IO.Directory.Exists))
            {
                System.IO.Directory.Delete(leftover, recursive: true);
            }

            System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(clone)!);
            try
            {
                git.Clone(source, new DirectoryPath(partial), branch);
            }
            catch (Tools.ToolException e)
            {
                throw new ReleaseException(new ReleaseProblem(source,
                    $"the release repo cannot be cloned{(branch is null ? string.Empty : $" at branch {branch}")}: {GitSays(e.Output)}; check the URL, the branch and that this machine may read it"));
            }

            System.IO.Directory.Move(partial, clone);
        }
        else
        {
            git.Fetch(directory);
        }

        var target = branch ?? git.RemoteDefaultBranch(directory);
        git.Checkout(directory, target, create: true);
        git.ResetHard(directory, $"origin/{target}");
        return target;
    }

    /// <summary>A path rather than a URL: absolute, relative (./, ../), under ~, or a plain name without host or scheme.</summary>
    private static bool LooksLikePath(string source) =>
        !source.Contains("://", StringComparison.Ordinal) && (source.StartsWith('/') || source.StartsWith('.') || source.StartsWith('~') || !source.Contains(':'));

    /// <summary>git's own reason, the lines that say what went wrong (fatal:, error:, remote:), on one line.</summary>
    private static string GitSays(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var reasons = lines.Where(l => l.StartsWith("fatal:", StringComparison.Ordinal) || l.StartsWith("error:", StringComparison.Ordinal) || l.StartsWith("remote:", StringComparison.Ordinal)).ToList();
        return string.Join("; ", (reasons.Count > 0 ? reasons : lines.TakeLast(1)).Select(l => l.TrimEnd('.')));
    }

    private static string UrlHash(string url) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(url)))[..12];

    /// <summary>
    /// The commit a package is built from: the tag <paramref name="version"/>'s, or the head's without one; null when
    /// the release repo is no git repository.
    /// </summary>
    /// <exception cref="ReleaseException">The tag does not exist.</exception>
    public string? CommitOf(string? version)
    {
        if (GitTopLevel is null)
        {
            return null;
        }

        return _git.TryRevParse(Directory, version is null ? "HEAD" : $"refs/tags/{version}")
            ?? throw new ReleaseException(new ReleaseProblem(Source, $"there is no tag {version}; a package is built from a release tag (or, without --version, from the branch head)"));
    }

    /// <summary>
    /// The release repo's files at the tag <paramref name="version"/>, exported fresh into
    /// &lt;work&gt;/package-source/&lt;name or version&gt; (a killed export is redone, never half used). Without a tag, or
    /// outside git, the folder itself.
    /// </summary>
    public string FilesAt(string? version, string workFolder, string? name = null)
    {
        if (GitTopLevel is null || version is null)
        {
            return Root;
        }

        // Named after the package (under its lock) when given: a hotfix and a release of one tag may be built at once.
        var target = System.IO.Path.Combine(workFolder, "package-source", name ?? version);
        var partial = target + ".partial";
        foreach (var folder in new[] { target, partial }.Where(System.IO.Directory.Exists))
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }

        System.IO.Directory.CreateDirectory(partial);
        var tar = partial + ".tar";
        var relative = System.IO.Path.GetRelativePath(GitTopLevel, Root).Replace('\\', '/');
        var treeish = relative is "." or "" ? $"refs/tags/{version}" : $"refs/tags/{version}:{relative}";
        _git.Archive(new DirectoryPath(GitTopLevel), treeish, new FilePath(tar));
        SafeTarExtractor.ExtractFileAsync(tar, partial, CancellationToken.None).GetAwaiter().GetResult();
        System.IO.File.Delete(tar);
        System.IO.Directory.Move(partial, target);
        return target;
    }

    /// <summary>When <paramref name="commit"/> was committed: a package's time, the same on every machine that builds it.</summary>
    public DateTimeOffset? CommitTime(string commit) => GitTopLevel is null ? null : _git.CommitDate(Directory, commit);

    public bool HasTag(string tag) => GitTopLevel is not null && _git.TryRevParse(new DirectoryPath(GitTopLevel), $"refs/tags/{tag}") is not null;

    /// <summary>
    /// The charts under addons/ that changed in meaning between two tags (see <see cref="ChartDiff"/>: a re-indented
    /// values file is a change, trailing spaces are not), and those the newer tag no longer has.
    /// </summary>
    public (IReadOnlySet<string> Changed, IReadOnlyList<string> Deleted) AddonChanges(string fromTag, string toTag)
    {
        var top = new DirectoryPath(GitTopLevel ?? throw new ReleaseException(new ReleaseProblem(Source, "the release repo is no git repository: a hotfix compares two release tags")));
        var addons = RelativeToTop(ReleaseLayout.Addons);
        var (from, to) = ($"refs/tags/{fromTag}", $"refs/tags/{toTag}");
        var changed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (status, path) in _git.DiffNameStatus(top, from, to, addons + "/"))
        {
            var chart = path[(addons.Length + 1)..].Split('/')[0];
            if (changed.Contains(chart) || (status == 'M' && !ChartDiff.ChangesMeaning(path, _git.Show(top, from, path), _git.Show(top, to, path))))
            {
                continue;
            }

            changed.Add(chart);
        }

        var atNew = _git.ListTree(top, $"{to}:{addons}").ToHashSet(StringComparer.Ordinal);
        return (changed.Where(atNew.Contains).ToHashSet(StringComparer.Ordinal), changed.Where(c => !atNew.Contains(c)).ToList());
    }

    /// <summary>Every image the lists under images/ name at a tag.</summary>
    public IReadOnlySet<string> ImagesListedAt(string tag)
    {
        var top = new DirectoryPath(GitTopLevel ?? throw new ReleaseException(new ReleaseProblem(Source, "the release repo is no git repository")));
        var images = RelativeToTop(ReleaseLayout.Images);
        return _git.ListTree(top, $"refs/tags/{tag}:{images}")
            .Where(f => f.EndsWith(".list", StringComparison.Ordinal))
            .SelectMany(f => ListText.Texts(_git.Show(top, $"refs/tags/{tag}", $"{images}/{f}")))
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>version.yml at a tag, or null when the tag has none (what a hotfix's base release declared).</summary>
    public VersionFile? VersionFileAt(string tag)
    {
        var top = new DirectoryPath(GitTopLevel ?? throw new ReleaseException(new ReleaseProblem(Source, "the release repo is no git repository")));
        var path = RelativeToTop(VersionFile.FileName);
        var folder = System.IO.Path.GetDirectoryName(path)?.Replace('\\', '/') ?? string.Empty;
        var listed = _git.ListTree(top, $"refs/tags/{tag}:{folder}");
        return listed.Contains(VersionFile.FileName, StringComparer.Ordinal)
            ? VersionFile.Parse(_git.Show(top, $"refs/tags/{tag}", path), $"{tag}:{path}")
            : null;
    }

    private string RelativeToTop(string folder) => System.IO.Path.GetRelativePath(GitTopLevel!, System.IO.Path.Combine(Root, folder)).Replace('\\', '/');

    /// <summary>A folder name for a URL: its last two path parts, readable and stable.</summary>
    public static string FolderName(string url)
    {
        var trimmed = url.TrimEnd('/');
        if (trimmed.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
        {
            trimmed = trimmed[..^4];
        }

        var parts = trimmed.Split(['/', ':', '\\'], StringSplitOptions.RemoveEmptyEntries).Where(p => p is not "." and not "..").TakeLast(2);
        var name = string.Join("_", parts.Select(p => new string(p.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_').ToArray())));
        return name.Length == 0 ? "release-repo" : name;
    }
}
