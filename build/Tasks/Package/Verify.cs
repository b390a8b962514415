using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Packaging;
using Lading.Tools.Helm;

namespace Lading.Tasks.Package;

[TaskName(nameof(Verify))]
[TaskDescription("Renders every chart of the package as its install.sh installs it (version.yml namespace, the site registry as global.imageRegistry) and checks that every image referenced is in the package, or for a hotfix in its base release")]
[CommandLine("./build.sh --target=Verify --package=<tar> [--base-package=<tar>] [--helm=<path>]")]
public sealed class Verify : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var helm = context.Helm();
        var settings = new HelmSettings { ToolPath = context.Release.Helm };
        Func<ChartToVerify, string, string>? render = helm.IsAvailable(settings)
            ? (chart, registry) => helm.Template(chart.Archive, chart.Name, chart.Namespace, settings: settings, stringValues: new Dictionary<string, string> { [PackageVerifier.RegistryValue] = registry })
            : null;
        if (render is null)
        {
            context.Log.Warning("helm was not found (install helm 3 or pass --helm=<path>): images come only from chart image lists and Chart.yaml annotations, not from the charts rendered as install.sh installs them");
        }

        var scratch = Path.Combine(context.Paths.Work, "verify", Guid.NewGuid().ToString("N"));
        try
        {
            var subject = context.PackageBuild is { } build
                ? VerifySubjects.OfBuild(build, context.PlatformSiteOf(build))
                : await VerifySubjects.FromTarAsync(context.Package.Package ?? throw new PackageException("Verify checks the package being built, or the package tar --package=<tar> names"), scratch, CancellationToken.None);
            if (context.PackageBuild is null && context.Package.BasePackage is { } basePackage)
            {
                subject = subject with { BaseImages = (subject.BaseImages ?? PackageImageIndex.Empty).Union(PackageImageIndex.FromTar(basePackage)) };
            }

            var report = new PackageVerifier(render).Verify(subject);
            context.Record("charts checked", report.Charts.ToString());
            context.Record("image references", report.Images.ToString());
            if (!report.Complete)
            {
                throw new PackageException(report.Describe());
            }

            context.Log.Information("{0}: every image its {1} chart(s) reference ({2}) is in the package{3}", report.Package, report.Charts, report.Images,
                report.BaseVersion is null ? string.Empty : $" or its base release {report.BaseVersion}");
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }
}
