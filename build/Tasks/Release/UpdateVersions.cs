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
        var release = ReleaseFiles.Load(repo.Root, needsRepos: false, needsVersions: true);
        var charts = ReleaseLayout.ChartFolders(repo.Root)
            .Select(d => (Folder: Path.GetFileName(d), Chart: ChartMetadata.Load(Path.Combine(d, ChartMetadata.FileName))))
            .Select(c => new CollectedChart(c.Folder, c.Chart.Name, c.Chart.Version, Path.GetRelativePath(repo.Root, c.Chart.File)))
            .ToList();
        var file = release.Versions!;

        // An addon is its chart folder: two folders may hold charts of one name (forks, -crds charts), never one folder two.
        var update = file.WithVersions(charts.ToDictionary(c => c.Folder, c => c.Version, StringComparer.Ordinal));
        var components = release.Repos.SelectMany(f => f.Repos).ToList();
        var problems = update.ChartsNotInVersionFile.Select(c => new ReleaseProblem($"{ReleaseLayout.Addons}/{c}", $"chart {c} is collected under addons/ but version.yml does not list it"))
            .Concat(update.AddonsWithoutChart.Select(a => new ReleaseProblem(a.File, a.Line, a.Column, $"version.yml lists addon {a.Name}, which has no chart under addons/")))
            .Concat(ReleaseConsistency.Check(charts, file, components))
            .ToList();
        foreach (var problem in problems)
        {
            context.Log.Warning("{0}", problem.ToString());
        }

        context.ReleaseReport.Warnings.AddRange(problems.Select(p => p.ToString()));
        if (problems.Count > 0 && context.Release.Strict)
        {
            throw new ReleaseException(problems);
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
