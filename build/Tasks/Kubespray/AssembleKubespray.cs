using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Bootstrap;
using Lading.Packaging;
using Lading.Tasks.Files;
using Lading.Tasks.Images;
using Lading.Tasks.OfflineResources;

namespace Lading.Tasks.Kubespray;

[TaskName(nameof(AssembleKubespray))]
[TaskDescription("Assembles the Kubespray package: the offline resources its lists need, an inventory sample, the cluster config for the offline site and an install.sh that runs the Kubespray image with nerdctl")]
[CommandLine("part of Kubespray")]
[IsDependentOn(typeof(BuildOsRepos))]
[IsDependentOn(typeof(DownloadFiles))]
[IsDependentOn(typeof(SyncImages))]
[OpensPackage(PackageKind.Kubespray)]
public sealed class AssembleKubespray : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var build = context.PackageBuild!;
        var site = new SiteOptions(context.Offline.SiteHost, context.Offline.SiteAddresses);
        var image = $"{site.Registry}/release/kubespray:{context.Kubespray.Version}";
        var written = KubesprayPackageFiles.WriteTo(build.Staging, site, image);
        context.Log.Information("Kubespray files: {0}", string.Join(", ", written));
        context.RecordPackage(await PackageOutput.WriteAsync(build, context.Paths.Output, CancellationToken.None));
    }
}
