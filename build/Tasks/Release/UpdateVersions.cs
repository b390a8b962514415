using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Charts;
using Lading.Recipes;
using Lading.Release;

namespace Lading.Tasks.Release;

[TaskName(nameof(UpdateVersions))]
[TaskDescription("Sets each version.yml addon's version from its chart's Chart.yaml; reports charts and addons that do not match up")]
[CommandLine("./build.sh --target=UpdateVersions --release-repo=...")]
[IsDependentOn(typeof(CollectCharts))]
[Needs(SettingKeys.ReleaseRepo)]
public sealed class UpdateVersions : AsyncFrostingTask<BuildContext>, IDryRunAware
{
    public override async Task RunAsync(BuildContext context)
    {
        var repo = context.ReleaseRepo;
        var charts = ReleaseLayout.ChartFolders(repo.Root).Select(d => ChartMetadata.Load(Path.Combine(d, ChartMetadata.FileName))).ToList();
        var file = ReleaseFiles.Load(repo.Root, needsRepos: false, needsVersions: true).Versions!;
        var update = file.WithVersions(charts.ToDictionary(c => c.Name, c => c.Version, StringComparer.Ordinal));

        var warnings = update.ChartsNotInVersionFile.Select(c => $"chart {c} is collected under addons/ but version.yml does not list it")
            .Concat(update.AddonsWithoutChart.Select(a => $"{a.Place}: version.yml lists addon {a.Name}, which has no chart under addons/"))
            .ToList();
        foreach (var warning in warnings)
        {
            context.Log.Warning(warning);
        }

        context.ReleaseReport.Warnings.AddRange(warnings);
        if (warnings.Count > 0 && context.Release.Strict)
        {
            throw new ReleaseException(warnings.Select(w => new ReleaseProblem(VersionFile.FileName, w)).ToList());
        }

        foreach (var change in update.Changes)
        {
            context.Log.Information("{0}: {1} -> {2}", change.Addon.Name, change.OldVersion ?? "(none)", change.NewVersion);
        }

        context.Record("versions changed", update.Changes.Count.ToString());
        if (!update.Changed)
        {
            return;
        }

        if (context.IsDryRun)
        {
            context.Log.Information("[dry run] would update {0}", VersionFile.FileName);
            return;
        }

        await update.File.SaveAsync();
    }
}
