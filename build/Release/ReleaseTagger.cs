using Cake.Core.IO;
using Lading.Tools.Git;

namespace Lading.Release;

/// <summary>What tagging a release did: the tag (or that it was there), the release branch it created.</summary>
public sealed record TagOutcome(string? Tag, string? Branch);

/// <summary>
/// Tags the release repo's branch head as a release, after the release change is merged: an annotated tag listing
/// every component, pushed; never moved or replaced. Tagging X.Y.0 also creates the release-X.Y branch hotfixes go on.
/// </summary>
public sealed class ReleaseTagger(GitRunner git, bool dryRun, Action<string> log)
{
    public TagOutcome Tag(ReleaseWorkspace repo, string version)
    {
        if (!SemVersion.TryParse(version, out var semVersion))
        {
            throw new ReleaseException(new ReleaseProblem("settings", $"--version={version} is no release version (expected vMAJOR.MINOR.PATCH, such as v2.10.2)."));
        }

        var directory = repo.Directory;
        var hasOrigin = git.Remotes(directory).Contains("origin");
        if (hasOrigin && !repo.IsClone)
        {
            git.Fetch(directory);
        }

        var head = git.RevParse(directory, "HEAD");
        string? tag;
        if (git.TryRevParse(directory, $"refs/tags/{version}") is { } tagged)
        {
            // Release tags are never moved: a re-run after a successful tag is fine, anything else is refused.
            if (tagged != head)
            {
                throw new ReleaseException(new ReleaseProblem(repo.Source, $"{version} already exists at {tagged[..12]}, not at the branch head {head[..12]}; release tags are never moved or replaced."));
            }

            log($"{version} already tags the branch head {head[..12]}; nothing to do");
            tag = $"{version} (already there)";
        }
        else
        {
            var components = ComponentRepoFile.LoadFolder(repo.PathOf(ReleaseLayout.Repos)).SelectMany(f => f.Repos).OrderBy(r => r.RepositoryFullName, StringComparer.Ordinal);
            var message = $"Release {version}\n\n" + string.Join('\n', components.Select(c => $"{c.RepositoryFullName} {c.CurrentTag}")) + "\n";
            if (dryRun)
            {
                log($"[dry run] would tag {head[..12]} as {version}:\n{message}");
                return new TagOutcome(null, null);
            }

            git.Tag(directory, version, message, head);
            log($"Tagged {head[..12]} as {version}");
            tag = version;
        }

        if (hasOrigin && !dryRun)
        {
            git.Push(directory, "origin", $"refs/tags/{version}");
        }

        var branch = semVersion.Patch == 0 && semVersion.PreRelease.Count == 0
            ? CreateReleaseBranch(directory, $"release-{semVersion.Major}.{semVersion.Minor}", head, hasOrigin)
            : null;
        return new TagOutcome(tag, branch);
    }

    private string? CreateReleaseBranch(DirectoryPath directory, string branch, string head, bool hasOrigin)
    {
        var existing = git.TryRevParse(directory, $"refs/heads/{branch}") ?? (hasOrigin ? git.TryRevParse(directory, $"refs/remotes/origin/{branch}") : null);
        if (existing is not null)
        {
            log($"{branch} exists already (at {existing[..12]}); left as it is");
            return null;
        }

        if (dryRun)
        {
            log($"[dry run] would create branch {branch} at {head[..12]}");
            return null;
        }

        git.CreateBranch(directory, branch, head);
        if (hasOrigin)
        {
            git.Push(directory, "origin", $"refs/heads/{branch}");
        }

        log($"Created {branch} for hotfixes of this minor release");
        return branch;
    }
}
