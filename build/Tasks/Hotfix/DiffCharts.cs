using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Recipes;
using Lading.Tools.Git;

namespace Lading.Tasks.Hotfix;

[TaskName(nameof(DiffCharts))]
[TaskDescription("Finds the charts added or changed under addons/ between --base-version and --version (white-space-only changes ignored) and the charts deleted")]
[Needs(SettingKeys.ReleaseRepo)]
[Needs(SettingKeys.BaseVersion)]
[Needs(SettingKeys.Version)]
public sealed class DiffCharts : FrostingTask<BuildContext>, IDryRunAware
{
    public override void Run(BuildContext context)
    {
        var build = context.Package("hotfix");
        var repo = context.ReleaseRepo;
        var top = repo.GitTopLevel ?? throw new CakeException($"{repo.Source} is no git repository: a hotfix compares two release tags");
        var git = context.Git();
        var baseVersion = context.Settings.Text(SettingKeys.BaseVersion)!;
        var version = context.Settings.Text(SettingKeys.Version)!;
        var directory = new Cake.Core.IO.DirectoryPath(top);
        if (git.TryRevParse(directory, $"refs/tags/{baseVersion}") is null)
        {
            throw new CakeException($"{repo.Source}: there is no tag {baseVersion} to build a hotfix on");
        }

        var addons = Path.GetRelativePath(top, Path.Combine(repo.Root, "addons")).Replace('\\', '/');
        var changes = git.DiffNameStatus(directory, $"refs/tags/{baseVersion}", $"refs/tags/{version}", addons + "/");
        var changed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (status, path) in changes)
        {
            var chart = path[(addons.Length + 1)..].Split('/')[0];
            if (status == 'M' && !git.ChangedBeyondWhitespace(directory, $"refs/tags/{baseVersion}", $"refs/tags/{version}", path))
            {
                continue;
            }

            changed.Add(chart);
        }

        var atNew = git.ListTree(directory, $"refs/tags/{version}:{addons}").ToHashSet(StringComparer.Ordinal);
        build.DeletedCharts.AddRange(changed.Where(c => !atNew.Contains(c)));
        build.Addons = changed.Where(atNew.Contains).ToHashSet(StringComparer.Ordinal);
        if (build.Addons.Count == 0 && build.DeletedCharts.Count == 0)
        {
            throw new CakeException($"No chart changed under addons/ between {baseVersion} and {version} (white space aside): there is no hotfix to build.");
        }

        context.Log.Information("Charts changed since {0}: {1}; deleted: {2}", baseVersion, string.Join(", ", build.Addons), build.DeletedCharts.Count == 0 ? "none" : string.Join(", ", build.DeletedCharts));
        context.Record("changed charts", string.Join(", ", build.Addons));
        context.Record("deleted charts", string.Join(", ", build.DeletedCharts));
    }
}
