using Cake.Core.IO;
using Lading.Tools.Git;

namespace Lading.Release;

/// <summary>
/// The release repo a build works on: a git URL cloned (or brought up to date) under the work folder,
/// or a local working tree used in place.
/// </summary>
public sealed class ReleaseWorkspace
{
    private ReleaseWorkspace(string root, string source, string? branch, bool isClone, string? gitTopLevel)
    {
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
    public static ReleaseWorkspace Open(GitRunner git, string source, string? branch, string workFolder, string workingDirectory, bool allowDirty)
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

            return new ReleaseWorkspace(local, source, branch ?? (top is null ? null : git.CurrentBranch(new DirectoryPath(local))), isClone: false, top);
        }

        var clone = System.IO.Path.Combine(workFolder, "release-repo", FolderName(source));
        var directory = new DirectoryPath(clone);
        if (!System.IO.Directory.Exists(System.IO.Path.Combine(clone, ".git")))
        {
            // Cloned beside its final place and renamed, so a killed clone never looks like a finished one.
            var partial = clone + ".partial";
            if (System.IO.Directory.Exists(partial))
            {
                System.IO.Directory.Delete(partial, recursive: true);
            }

            System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(clone)!);
            git.Clone(source, new DirectoryPath(partial), branch);
            System.IO.Directory.Move(partial, clone);
        }
        else
        {
            git.Fetch(directory);
        }

        var target = branch ?? git.RemoteDefaultBranch(directory);
        git.Checkout(directory, target, create: true);
        git.ResetHard(directory, $"origin/{target}");
        return new ReleaseWorkspace(clone, source, target, isClone: true, clone);
    }

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
