using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Charts;
using Lading.Packaging;
using Lading.Recipes;
using Lading.Release;

namespace Lading.Tasks.Package;

[TaskName(nameof(PackageCharts))]
[TaskDescription("Packages each addons/<chart> of the release (at --version) into a helm-compatible .tgz with deterministic bytes, plus one charts.tar.gz")]
[CommandLine("part of Package")]
[Needs(SettingKeys.ReleaseRepo)]
[OpensPackage(PackageKind.Platform)]
public sealed class PackageCharts : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var build = context.PackageBuild!;

        // A re-run starts the package folder afresh: its contents are cheap to remake from the store.
        if (Directory.Exists(build.Staging))
        {
            Directory.Delete(build.Staging, recursive: true);
        }

        Directory.CreateDirectory(build.Staging);
        var folders = ReleaseLayout.ChartFolders(build.Source).Where(d => build.Addons is null || build.Addons.Contains(Path.GetFileName(d))).ToList();
        var packaged = await ChartPackager.PackageAllAsync(folders, build.ChartsFolder, context.Images.Concurrency);
        build.Charts.AddRange(packaged.Select(p => new PackagedChartEntry(p.Name, p.Version, $"charts/{Path.GetFileName(p.Path)}", p.Sha256.Hex)));
        foreach (var chart in packaged)
        {
            context.Log.Information("{0}-{1}: {2}", chart.Name, chart.Version, chart.Sha256);
        }

        context.Record("charts", string.Join(", ", packaged.Select(p => $"{p.Name}-{p.Version}")));
    }
}
