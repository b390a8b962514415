using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Recipes;
using Lading.Release;
using Lading.Tools.Git;

namespace Lading.Tasks.Release;

[TaskName(nameof(TagRelease))]
[TaskDescription("After the release change is merged: tags the branch head --version=vX.Y.Z (annotated, listing every component); tagging X.Y.0 also creates release-X.Y")]
[Needs(SettingKeys.ReleaseRepo)]
[Needs(SettingKeys.Version)]
public sealed class TagRelease : FrostingTask<BuildContext>, IDryRunAware
{
    public override void Run(BuildContext context)
    {
        var version = context.Settings.Text(SettingKeys.Version)!;
        if (!SemVersion.TryParse(version, out var semVersion))
        {
            throw new CakeException($"--version={version} is no release version (expected vMAJOR.MINOR.PATCH, such as v2.10.2).");
        }

        var repo = context.ReleaseRepo;
        var git = context.Git();
        var directory = repo.Directory;
        var hasOrigin = git.Remotes(directory).Contains("origin");
        if (hasOrigin && !repo.IsClone)
        {
            git.Fetch(directory);
        }

        var head = git.RevParse(directory, "HEAD");
        if (git.TryRevParse(directory, $"refs/tags/{version}") is { } tagged)
        {
            // Release tags are never moved: a re-run after a successful tag is fine, anything else is refused.
            if (tagged != head)
            {
                throw new CakeException($"{version} already exists at {tagged[..12]}, not at the branch head {head[..12]}; release tags are never moved or replaced.");
            }

            context.Log.Information("{0} already tags the branch head {1}; nothing to do", version, head[..12]);
            context.Record("tag", $"{version} (already there)");
        }
        else
        {
            var components = ComponentRepoFile.LoadFolder(repo.PathOf("repos")).SelectMany(f => f.Repos).OrderBy(r => r.RepositoryFullName, StringComparer.Ordinal);
            var message = $"Release {version}\n\n" + string.Join('\n', components.Select(c => $"{c.RepositoryFullName} {c.CurrentTag}")) + "\n";
            if (context.IsDryRun)
            {
                context.Log.Information("[dry run] would tag {0} as {1}:\n{2}", head[..12], version, message);
                return;
            }

            git.Tag(directory, version, message, head);
            context.Log.Information("Tagged {0} as {1}", head[..12], version);
            context.Record("tag", version);
        }

        if (hasOrigin && !context.IsDryRun)
        {
            git.Push(directory, "origin", $"refs/tags/{version}");
        }

        if (semVersion.Patch == 0 && semVersion.PreRelease.Count == 0)
        {
            CreateReleaseBranch(context, git, directory, $"release-{semVersion.Major}.{semVersion.Minor}", head, hasOrigin);
        }
    }

    private static void CreateReleaseBranch(BuildContext context, GitRunner git, Cake.Core.IO.DirectoryPath directory, string branch, string head, bool hasOrigin)
    {
        var existing = git.TryRevParse(directory, $"refs/heads/{branch}") ?? (hasOrigin ? git.TryRevParse(directory, $"refs/remotes/origin/{branch}") : null);
        if (existing is not null)
        {
            context.Log.Information("{0} exists already (at {1}); left as it is", branch, existing[..12]);
            return;
        }

        if (context.IsDryRun)
        {
            context.Log.Information("[dry run] would create branch {0} at {1}", branch, head[..12]);
            return;
        }

        git.CreateBranch(directory, branch, head);
        if (hasOrigin)
        {
            git.Push(directory, "origin", $"refs/heads/{branch}");
        }

        context.Log.Information("Created {0} for hotfixes of this minor release", branch);
        context.Record("branch", branch);
    }
}
