using System.Text.RegularExpressions;
using Cake.Core;
using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Lading.Tools.Git;

/// <summary>The git commands Lading runs; every one builds its exact command line here.</summary>
public sealed partial class GitRunner(IFileSystem fileSystem, ICakeEnvironment environment, IProcessRunner processRunner, IToolLocator tools)
    : CapturingTool<GitSettings>(fileSystem, environment, processRunner, tools)
{
    /// <summary>Object ids per fetch request: a command line well under any system's limit.</summary>
    private const int ObjectsPerFetch = 1000;

    protected override string GetToolName() => "git";

    protected override IEnumerable<string> GetToolExecutableNames() => ["git"];

    /// <summary>Tags of a remote without cloning it.</summary>
    public IReadOnlyList<GitRemoteTag> LsRemoteTags(string url, GitSettings? settings = null)
    {
        var result = Capture(settings ?? new GitSettings(), Args("ls-remote", "--tags").AppendQuoted(url));
        return ParseLsRemote(result.Output);
    }

    public static IReadOnlyList<GitRemoteTag> ParseLsRemote(IEnumerable<string> lines)
    {
        var objects = new Dictionary<string, string>(StringComparer.Ordinal);
        var peeled = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var parts = line.Trim().Split('\t', 2);
            if (parts.Length != 2 || !parts[1].StartsWith("refs/tags/", StringComparison.Ordinal))
            {
                continue;
            }

            var name = parts[1]["refs/tags/".Length..];
            if (name.EndsWith("^{}", StringComparison.Ordinal))
            {
                peeled[name[..^3]] = parts[0];
            }
            else
            {
                objects[name] = parts[0];
            }
        }

        return objects.Select(kv => new GitRemoteTag(kv.Key, kv.Value, peeled.GetValueOrDefault(kv.Key))).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Fetches one ref and nothing else (no history) into <paramref name="repository"/>, creating it when needed, and
    /// checks it out detached: a tag of that name, else a branch (as git itself resolves a name), else a full commit id.
    /// A ref the server does not have fails with what git said of the last way tried.
    /// </summary>
    public GitRefKind FetchRef(DirectoryPath repository, string url, string @ref, GitSettings? settings = null)
    {
        settings ??= new GitSettings();
        if (!FileSystemExists(repository.Combine(".git")))
        {
            Capture(settings, Args("init", "--quiet").AppendQuoted(repository.FullPath));
        }

        var ways = new List<(GitRefKind Kind, string Refspec)>
        {
            (GitRefKind.Tag, $"+refs/tags/{@ref}:refs/tags/{@ref}"),
            (GitRefKind.Branch, $"+refs/heads/{@ref}:refs/remotes/origin/{@ref}"),
        };
        if (FullCommitId().IsMatch(@ref))
        {
            ways.Add((GitRefKind.Commit, @ref));
        }

        foreach (var (kind, refspec) in ways)
        {
            try
            {
                Capture(settings, In(repository).Append("fetch").Append("--quiet").Append("--depth=1").Append("--no-tags").AppendQuoted(url).AppendQuoted(refspec));
            }
            catch (ToolException e) when (kind != ways[^1].Kind && e.Output.Contains("couldn't find remote ref", StringComparison.Ordinal))
            {
                continue;
            }

            Capture(settings, In(repository).Append("checkout").Append("--quiet").Append("--force").Append("--detach").AppendQuoted("FETCH_HEAD^{commit}"));
            return kind;
        }

        throw new InvalidOperationException("unreachable: the last way tried either succeeds or throws");
    }

    /// <summary>Fetches one tag and nothing else (no history) into <paramref name="repository"/>, creating it when needed.</summary>
    public void FetchTag(DirectoryPath repository, string url, string tag, GitSettings? settings = null)
    {
        settings ??= new GitSettings();
        if (!FileSystemExists(repository.Combine(".git")))
        {
            Capture(settings, Args("init", "--quiet").AppendQuoted(repository.FullPath));
        }

        Capture(settings, In(repository).Append("fetch").Append("--quiet").Append("--depth=1").Append("--no-tags").AppendQuoted(url)
            .AppendQuoted($"+refs/tags/{tag}:refs/tags/{tag}"));
        Capture(settings, In(repository).Append("checkout").Append("--quiet").Append("--force").Append("--detach").AppendQuoted($"refs/tags/{tag}"));
    }

    /// <summary>
    /// Fetches tags and nothing else: no history (depth 1), and no file contents until they are read when the server
    /// allows partial clones (git fetches them on demand; a server that does not simply sends them).
    /// </summary>
    public void FetchTags(DirectoryPath repository, string url, IEnumerable<string> tags, GitSettings? settings = null)
    {
        var args = Fetching(repository).Append("fetch").Append("--quiet").Append("--depth=1").Append("--no-tags").Append("--filter=blob:none").AppendQuoted(url);
        foreach (var tag in tags)
        {
            args.AppendQuoted($"+refs/tags/{tag}:refs/tags/{tag}");
        }

        Capture(settings ?? new GitSettings(), args);
    }

    /// <summary>Which of <paramref name="paths"/> exist in a tree (such as refs/tags/v1.2.0).</summary>
    public IReadOnlySet<string> ExistingPaths(DirectoryPath repository, string treeish, IEnumerable<string> paths, GitSettings? settings = null)
    {
        var args = In(repository).Append("ls-tree").Append("--name-only").AppendQuoted(treeish).Append("--");
        foreach (var path in paths)
        {
            args.AppendQuoted(path);
        }

        return Capture(settings ?? new GitSettings(), args).Output.Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The files under <paramref name="paths"/> at <paramref name="treeish"/> whose contents the repository does not
    /// hold yet (a partial clone holds none until they are read), as object ids; read from trees only, nothing fetched.
    /// </summary>
    public IReadOnlyList<string> MissingBlobs(DirectoryPath repository, string treeish, IEnumerable<string> paths, GitSettings? settings = null)
    {
        var args = In(repository).Append("ls-tree").Append("-r").AppendQuoted(treeish).Append("--");
        foreach (var path in paths)
        {
            args.AppendQuoted(path);
        }

        // "<mode> <type> <id>\t<path>": files and symbolic links are blobs; submodules are commits of another repository.
        var blobs = Capture(settings ?? new GitSettings(), args).Output
            .Select(line => line.Split('\t', 2)[0].Split(' '))
            .Where(fields => fields.Length == 3 && fields[1] == "blob")
            .Select(fields => fields[2])
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (blobs.Count == 0)
        {
            return blobs;
        }

        // Objects held locally; never fetches, unlike asking for each one.
        var held = Capture(settings ?? new GitSettings(), In(repository).Append("cat-file").Append("--batch-check=%(objectname)").Append("--batch-all-objects")).Output
            .ToHashSet(StringComparer.Ordinal);
        return blobs.Where(b => !held.Contains(b)).ToList();
    }

    /// <summary>
    /// Fetches objects by id from <paramref name="url"/>, as git itself does for a partial clone when a file is read,
    /// but in one request for all of them where git would send one per file.
    /// </summary>
    public void FetchObjects(DirectoryPath repository, string url, IReadOnlyList<string> objects, GitSettings? settings = null)
    {
        foreach (var batch in objects.Chunk(ObjectsPerFetch))
        {
            var args = Fetching(repository).Append("-c").Append("fetch.negotiationAlgorithm=noop")
                .Append("fetch").Append("--quiet").Append("--no-tags").Append("--no-write-fetch-head").Append("--recurse-submodules=no").Append("--filter=blob:none")
                .AppendQuoted(url);
            foreach (var id in batch)
            {
                args.Append(id);
            }

            Capture(settings ?? new GitSettings(), args);
        }
    }

    /// <summary>Writes <paramref name="paths"/> as they are at <paramref name="revision"/> into another folder, the repository's own work tree untouched.</summary>
    public void CheckoutPathsInto(DirectoryPath repository, DirectoryPath workTree, string revision, IEnumerable<string> paths, GitSettings? settings = null)
    {
        var args = Fetching(repository).Append("--work-tree").AppendQuoted(workTree.FullPath).Append("checkout").Append("--quiet").AppendQuoted(revision).Append("--");
        foreach (var path in paths)
        {
            args.AppendQuoted(path);
        }

        Capture(settings ?? new GitSettings(), args);
    }

    /// <summary>The message of an annotated tag in a local repository; empty for a lightweight tag.</summary>
    public string TagMessage(DirectoryPath repository, string tag, GitSettings? settings = null) =>
        Capture(settings ?? new GitSettings(), In(repository).Append("for-each-ref").Append("--format=%(contents)").AppendQuoted($"refs/tags/{tag}")).Text.Trim();

    public void Clone(string url, DirectoryPath destination, string? branch = null, GitSettings? settings = null)
    {
        var args = Args("clone", "--quiet");
        if (branch is not null)
        {
            args.Append("--branch").AppendQuoted(branch);
        }

        Capture(settings ?? new GitSettings(), args.AppendQuoted(url).AppendQuoted(destination.FullPath));
    }

    /// <summary>A new repository whose first branch is <paramref name="branch"/>, whatever the machine's git config says.</summary>
    public void Init(DirectoryPath repository, string branch = "main", GitSettings? settings = null) =>
        Capture(settings ?? new GitSettings(), Args("init", "--quiet").Append("--initial-branch").AppendQuoted(branch).AppendQuoted(repository.FullPath));

    public string RevParse(DirectoryPath repository, string revision, GitSettings? settings = null) =>
        Capture(settings ?? new GitSettings(), In(repository).Append("rev-parse").Append("--verify").AppendQuoted(revision + "^{commit}")).Text.Trim();

    /// <summary>Uncommitted changes (porcelain status lines); empty when the tree is clean.</summary>
    public IReadOnlyList<string> Status(DirectoryPath repository, GitSettings? settings = null) =>
        Capture(settings ?? new GitSettings(), In(repository).Append("status").Append("--porcelain")).Output.Where(l => l.Length > 0).ToList();

    public void Checkout(DirectoryPath repository, string branch, bool create = false, GitSettings? settings = null)
    {
        var args = In(repository).Append("checkout").Append("--quiet");
        if (create)
        {
            args.Append("-B");
        }

        Capture(settings ?? new GitSettings(), args.AppendQuoted(branch));
    }

    public void AddAll(DirectoryPath repository, GitSettings? settings = null) =>
        Capture(settings ?? new GitSettings(), In(repository).Append("add").Append("--all"));

    public void Commit(DirectoryPath repository, string message, GitSettings? settings = null) =>
        Capture(settings ?? new GitSettings(), In(repository).Append("commit").Append("--quiet").Append("--message").AppendQuoted(message));

    public void Push(DirectoryPath repository, string remote, string refspec, GitSettings? settings = null) =>
        Capture(settings ?? new GitSettings(), In(repository).Append("push").Append("--quiet").AppendQuoted(remote).AppendQuoted(refspec));

    /// <summary>An annotated tag; git itself refuses to replace an existing one, and no flag here asks it to.</summary>
    public void Tag(DirectoryPath repository, string name, string message, string revision = "HEAD", GitSettings? settings = null) =>
        Capture(settings ?? new GitSettings(), In(repository).Append("tag").Append("--annotate").AppendQuoted(name).Append("--message").AppendQuoted(message).AppendQuoted(revision));

    /// <summary>Files changed between two revisions under a path: A, M or D and the path.</summary>
    public IReadOnlyList<(char Status, string Path)> DiffNameStatus(DirectoryPath repository, string from, string to, string path, GitSettings? settings = null) =>
        Capture(settings ?? new GitSettings(), In(repository).Append("diff").Append("--name-status").Append("--no-renames")
                .AppendQuoted($"{from}..{to}").Append("--").AppendQuoted(path))
            .Output.Where(l => l.Length > 2).Select(l => (l[0], l[(l.IndexOf('\t') + 1)..])).ToList();

    public void Fetch(DirectoryPath repository, string remote = "origin", GitSettings? settings = null) =>
        Capture(settings ?? new GitSettings(), In(repository).Append("fetch").Append("--quiet").Append("--prune").Append("--tags").AppendQuoted(remote));

    /// <summary>Makes the working tree exactly the revision: our own clones are scratch space, never edited by hand.</summary>
    public void ResetHard(DirectoryPath repository, string revision, GitSettings? settings = null)
    {
        Capture(settings ?? new GitSettings(), In(repository).Append("reset").Append("--quiet").Append("--hard").AppendQuoted(revision));
        Capture(settings ?? new GitSettings(), In(repository).Append("clean").Append("--quiet").Append("-d").Append("--force"));
    }

    /// <summary>The branch the remote's HEAD names (its default branch), e.g. main.</summary>
    public string RemoteDefaultBranch(DirectoryPath repository, string remote = "origin", GitSettings? settings = null) =>
        Capture(settings ?? new GitSettings(), In(repository).Append("rev-parse").Append("--abbrev-ref").AppendQuoted($"{remote}/HEAD")).Text.Trim()[(remote.Length + 1)..];

    public string? CurrentBranch(DirectoryPath repository, GitSettings? settings = null)
    {
        var result = Capture(settings ?? new GitSettings(), In(repository).Append("symbolic-ref").Append("--quiet").Append("--short").Append("HEAD"), allowFailure: true);
        return result.ExitCode == 0 ? result.Text.Trim() : null;
    }

    public IReadOnlyList<string> Remotes(DirectoryPath repository, GitSettings? settings = null) =>
        Capture(settings ?? new GitSettings(), In(repository).Append("remote")).Output.Where(l => l.Length > 0).ToList();

    /// <summary>Whether a tag exists in the local repository.</summary>
    public bool HasTag(DirectoryPath repository, string tag, GitSettings? settings = null) =>
        Capture(settings ?? new GitSettings(), In(repository).Append("rev-parse").Append("--verify").Append("--quiet").AppendQuoted($"refs/tags/{tag}"), allowFailure: true).ExitCode == 0;

    /// <summary>The top folder of the work tree holding <paramref name="path"/>, or null outside any.</summary>
    public string? TopLevel(DirectoryPath path, GitSettings? settings = null)
    {
        var result = Capture(settings ?? new GitSettings(), In(path).Append("rev-parse").Append("--show-toplevel"), allowFailure: true);
        return result.ExitCode == 0 ? result.Text.Trim() : null;
    }

    /// <summary>Uncommitted changes under one folder of a work tree.</summary>
    public IReadOnlyList<string> Status(DirectoryPath repository, string pathspec, GitSettings? settings = null) =>
        Capture(settings ?? new GitSettings(), In(repository).Append("status").Append("--porcelain").Append("--").AppendQuoted(pathspec)).Output.Where(l => l.Length > 0).ToList();

    /// <summary>Commits with an explicit identity, so a build agent without git config can commit.</summary>
    public void Commit(DirectoryPath repository, string message, string authorName, string authorEmail, GitSettings? settings = null) =>
        Capture(settings ?? new GitSettings(), In(repository).Append("-c").AppendQuoted($"user.name={authorName}").Append("-c").AppendQuoted($"user.email={authorEmail}")
            .Append("commit").Append("--quiet").Append("--message").AppendQuoted(message));

    /// <summary>Whether a revision range changes anything under a path (exit code of diff --quiet).</summary>
    public bool HasStagedChanges(DirectoryPath repository, GitSettings? settings = null) =>
        Capture(settings ?? new GitSettings(), In(repository).Append("diff").Append("--cached").Append("--quiet"), allowFailure: true).ExitCode != 0;

    public string Show(DirectoryPath repository, string revision, string path, GitSettings? settings = null) =>
        Capture(settings ?? new GitSettings(), In(repository).Append("show").AppendQuoted($"{revision}:{path}")).Text;

    /// <summary>When a tag was made (an annotated tag's own date, else its commit's), or null when unknown.</summary>
    public DateTimeOffset? TagDate(DirectoryPath repository, string tag, GitSettings? settings = null)
    {
        var text = Capture(settings ?? new GitSettings(), In(repository).Append("for-each-ref").Append("--format=%(creatordate:iso-strict)").AppendQuoted($"refs/tags/{tag}")).Text.Trim();
        return DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date) ? date : null;
    }

    /// <summary>The committer date of a revision's commit, or null when unknown.</summary>
    public DateTimeOffset? CommitDate(DirectoryPath repository, string revision, GitSettings? settings = null)
    {
        var text = Capture(settings ?? new GitSettings(), In(repository).Append("log").Append("-1").Append("--format=%cI").AppendQuoted(revision)).Text.Trim();
        return DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date) ? date : null;
    }

    /// <summary>Whether the tag is annotated (a tag object) rather than lightweight.</summary>
    public bool IsAnnotatedTag(DirectoryPath repository, string tag, GitSettings? settings = null) =>
        Capture(settings ?? new GitSettings(), In(repository).Append("cat-file").Append("-t").AppendQuoted($"refs/tags/{tag}")).Text.Trim() == "tag";

    /// <summary>The commit a revision names, or null when it does not exist.</summary>
    public string? TryRevParse(DirectoryPath repository, string revision, GitSettings? settings = null)
    {
        var result = Capture(settings ?? new GitSettings(), In(repository).Append("rev-parse").Append("--verify").Append("--quiet").AppendQuoted(revision + "^{commit}"), allowFailure: true);
        return result.ExitCode == 0 ? result.Text.Trim() : null;
    }

    public void CreateBranch(DirectoryPath repository, string name, string revision, GitSettings? settings = null) =>
        Capture(settings ?? new GitSettings(), In(repository).Append("branch").AppendQuoted(name).AppendQuoted(revision));

    /// <summary>Pushes a local revision to a remote branch, replacing it: used only for branches Lading owns.</summary>
    public void ForcePush(DirectoryPath repository, string remote, string revision, string branch, GitSettings? settings = null) =>
        Capture(settings ?? new GitSettings(), In(repository).Append("push").Append("--quiet").Append("--force").AppendQuoted(remote).AppendQuoted($"{revision}:refs/heads/{branch}"));

    /// <summary>The remote's branches under a prefix (such as lading/release-), fetched as remote-tracking refs; returns their names.</summary>
    public IReadOnlyList<string> FetchBranches(DirectoryPath repository, string remote, string prefix, GitSettings? settings = null)
    {
        Capture(settings ?? new GitSettings(), In(repository).Append("fetch").Append("--quiet").AppendQuoted(remote).AppendQuoted($"+refs/heads/{prefix}*:refs/remotes/{remote}/{prefix}*"));
        return Capture(settings ?? new GitSettings(), In(repository).Append("for-each-ref").Append("--format=%(refname:strip=3)").AppendQuoted($"refs/remotes/{remote}/{prefix}"))
            .Output.Where(l => l.Length > 0).ToList();
    }

    /// <summary>The tree a revision records: two commits with one tree propose the same change.</summary>
    public string TreeOf(DirectoryPath repository, string revision, GitSettings? settings = null) =>
        Capture(settings ?? new GitSettings(), In(repository).Append("rev-parse").AppendQuoted(revision + "^{tree}")).Text.Trim();

    /// <summary>Stages every change under a folder of the work tree.</summary>
    public void AddAll(DirectoryPath repository, string pathspec, GitSettings? settings = null) =>
        Capture(settings ?? new GitSettings(), In(repository).Append("add").Append("--all").Append("--").AppendQuoted(pathspec));

    /// <summary>Writes a tree (such as <c>v2.10.2:platform</c>) as a tar file: the files exactly as committed, nothing else.</summary>
    public void Archive(DirectoryPath repository, string treeish, FilePath output, GitSettings? settings = null) =>
        Capture(settings ?? new GitSettings(), In(repository).Append("archive").Append("--format=tar").Append("--output").AppendQuoted(output.FullPath).AppendQuoted(treeish));

    /// <summary>The names in a tree (such as <c>v2.10.1:images</c>), or nothing when the tree does not exist.</summary>
    public IReadOnlyList<string> ListTree(DirectoryPath repository, string treeish, GitSettings? settings = null)
    {
        var result = Capture(settings ?? new GitSettings(), In(repository).Append("ls-tree").Append("--name-only").AppendQuoted(treeish), allowFailure: true);
        return result.ExitCode == 0 ? result.Output.Where(l => l.Length > 0).ToList() : [];
    }

    private static ProcessArgumentBuilder In(DirectoryPath repository) => Args("-C").AppendQuoted(repository.FullPath);

    /// <summary>
    /// A command that may fetch: without the housekeeping git starts after every fetch (a process each time, for
    /// repositories that only ever hold a few tags).
    /// </summary>
    private static ProcessArgumentBuilder Fetching(DirectoryPath repository) =>
        In(repository).Append("-c").Append("maintenance.auto=false").Append("-c").Append("gc.auto=0");

    private static bool FileSystemExists(DirectoryPath path) => Directory.Exists(path.FullPath) || File.Exists(path.FullPath);

    [GeneratedRegex("^[0-9a-f]{40}([0-9a-f]{24})?$")]
    private static partial Regex FullCommitId();
}
