using Cake.Core.IO;
using Lading.Tools.Git;

namespace Lading.Release;

/// <summary>What tagging a release did: the tag (or that it was there), the release branch it created.</summary>
public sealed record TagOutcome(string? Tag, string? Branch);

/// <summary>
/// Tags a reviewed repo's branch head, after its change is merged: an annotated tag, pushed; never moved or replaced.
/// A platform release lists every component in its message, and tagging X.Y.0 creates the release-X.Y branch hotfixes
/// go on; a Kubespray lists repo is tagged the same way, without the branch.
/// </summary>
public sealed class ReleaseTagger(GitRunner git, bool dryRun, Action<string> log)
{
    /// <summary>Tags a platform release: the message lists every component at its tag; X.Y.0 opens release-X.Y.</summary>
    public TagOutcome Tag(ReleaseWorkspace repo, string version) =>
        Tag(repo, version, () =>
        {
            var components = ComponentRepoFile.LoadFolder(repo.PathOf(ReleaseLayout.Repos)).SelectMany(f => f.Repos).OrderBy(r => r.RepositoryFullName, StringComparer.Ordinal);
            return $"Release {version}\n\n" + string.Join('\n', components.Select(c => $"{c.RepositoryFullName} {c.CurrentTag}")) + "\n";
        }, releaseBranch: true);

    /// <param name="message">The tag's message, asked for only when a tag is made.</param>
    /// <param name="releaseBranch">Whether tagging X.Y.0 also creates the release-X.Y branch.</param>
    public TagOutcome Tag(ReleaseWorkspace repo, string version, Func<string> message, bool releaseBranch)
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
            var text = message();
            if (dryRun)
            {
                log($"[dry run] would tag {head[..12]} as {version}:\n{text}");
                return new TagOutcome(null, null);
            }

            git.Tag(directory, version, text, head);
            log($"Tagged {head[..12]} as {version}");
            tag = version;
        }

        if (hasOrigin && !dryRun)
        {
            git.Push(directory, "origin", $"refs/tags/{version}");
        }

        var branch = releaseBranch && semVersion.Patch == 0 && semVersion.PreRelease.Count == 0
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
