using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Packaging;
using Lading.Recipes;

namespace Lading.Tasks.Hotfix;

[TaskName(nameof(DiffCharts))]
[TaskDescription("Finds the charts added or changed in meaning under addons/ between --base-version and --version (YAML data by parsed content, templates by text) and the charts deleted")]
[CommandLine("part of Hotfix")]
[Needs(SettingKeys.ReleaseRepo)]
[Needs(SettingKeys.BaseVersion)]
[Needs(SettingKeys.Version)]
[OpensPackage(PackageKind.Hotfix)]
public sealed class DiffCharts : FrostingTask<BuildContext>, IDryRunAware
{
    public override void Run(BuildContext context)
    {
        var build = context.PackageBuild!;
        var repo = context.ReleaseRepo;
        var (baseVersion, version) = (context.Release.BaseVersion!, context.Release.Version!);
        if (!repo.HasTag(baseVersion))
        {
            throw new PackageException($"{repo.Source}: there is no tag {baseVersion} to build a hotfix on");
        }

        var (changed, deleted) = repo.AddonChanges(baseVersion, version);
        if (changed.Count == 0 && deleted.Count == 0)
        {
            throw new PackageException($"No chart changed under addons/ between {baseVersion} and {version} (in meaning): there is no hotfix to build.");
        }

        build.Addons = changed;
        build.DeletedCharts.AddRange(deleted);
        context.Log.Information("Charts changed since {0}: {1}; deleted: {2}", baseVersion, string.Join(", ", changed.Order(StringComparer.Ordinal)), deleted.Count == 0 ? "none" : string.Join(", ", deleted));
        context.Record("changed charts", string.Join(", ", changed.Order(StringComparer.Ordinal)));
        context.Record("deleted charts", string.Join(", ", deleted));
    }
}
