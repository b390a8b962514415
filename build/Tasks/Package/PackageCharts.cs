using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Charts;
using Lading.Recipes;

namespace Lading.Tasks.Package;

[TaskName(nameof(PackageCharts))]
[TaskDescription("Packages each addons/<chart> of the release (at --version) into a helm-compatible .tgz with deterministic bytes, plus one charts.tar.gz")]
[Needs(SettingKeys.ReleaseRepo)]
public sealed class PackageCharts : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var build = context.Package("platform");

        // A re-run starts the package folder afresh: its contents are cheap to remake from the store.
        if (Directory.Exists(build.Staging))
        {
            Directory.Delete(build.Staging, recursive: true);
        }

        Directory.CreateDirectory(build.Staging);
        var addons = Path.Combine(build.Source, "addons");
        var folders = Directory.Exists(addons)
            ? Directory.GetDirectories(addons).Where(d => File.Exists(Path.Combine(d, ChartMetadata.FileName)))
                .Where(d => build.Addons is null || build.Addons.Contains(Path.GetFileName(d))).Order(StringComparer.Ordinal).ToList()
            : [];
        var packaged = await ChartPackager.PackageAllAsync(folders, build.ChartsFolder, context.Settings.Number(SettingKeys.Concurrency));
        build.Charts.AddRange(packaged.Select(p => new Lading.Packaging.PackagedChartEntry(p.Name, p.Version, $"charts/{Path.GetFileName(p.Path)}", p.Sha256.Hex)));
        foreach (var chart in packaged)
        {
            context.Log.Information("{0}-{1}: {2}", chart.Name, chart.Version, chart.Sha256);
        }

        context.Record("charts", string.Join(", ", packaged.Select(p => $"{p.Name}-{p.Version}")));
    }
}
