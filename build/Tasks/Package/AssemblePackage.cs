using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Charts;
using Lading.Packaging;
using Lading.Recipes;
using Lading.Tasks.Images;

namespace Lading.Tasks.Package;

[TaskName(nameof(AssemblePackage))]
[TaskDescription("Assembles <name>-<version>/ (charts, images, scripts, configs, version.yml, install.sh and the tables it reads, install-charts.sh, load-images.sh, manifest.json) into one tar with its .sha256, each blob's bytes once")]
[CommandLine("part of Package")]
[IsDependentOn(typeof(PackageCharts))]
[IsDependentOn(typeof(SyncImages))]
[IsDependentOn(typeof(Verify))]
[Needs(SettingKeys.ReleaseRepo)]
[OpensPackage(PackageKind.Platform)]
public sealed class AssemblePackage : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var build = context.PackageBuild!;
        PlatformAssembly.CopyReleaseFiles(build, context.PlatformSiteOf(build));
        if (build.Kind == PackageKind.Hotfix && context.Package.BasePackage is { } basePackage)
        {
            var removed = PlatformAssembly.RemoveBlobsOf(basePackage, build);
            context.Log.Information("{0} blob(s) left out: the base package {1} already delivered them", removed, Path.GetFileName(basePackage));
        }

        var output = context.Paths.Output;
        var chartPackages = build.Charts.Select(c => Path.Combine(build.Staging, c.File)).ToList();
        if (chartPackages.Count > 0)
        {
            // Written only now, with the package: a run that failed earlier leaves no artifact behind.
            var archive = Path.Combine(output, $"{build.FullName}-{ChartArchive.FileName}");
            Directory.CreateDirectory(output);
            await ChartArchive.WriteAsync(chartPackages, archive);
            context.Record("charts.tar.gz", archive);
        }

        context.RecordPackage(await PackageOutput.WriteAsync(build, output, CancellationToken.None));
    }
}
