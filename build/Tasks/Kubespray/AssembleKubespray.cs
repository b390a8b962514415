using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Bootstrap;
using Lading.Packaging;
using Lading.Recipes;
using Lading.Tasks.Files;
using Lading.Tasks.Images;
using Lading.Tasks.OfflineResources;

namespace Lading.Tasks.Kubespray;

[TaskName(nameof(AssembleKubespray))]
[TaskDescription("Assembles the Kubespray package: the offline resources its lists need, an inventory sample, the cluster config for the offline site and an install.sh that runs the Kubespray image with nerdctl")]
[IsDependentOn(typeof(BuildOsRepos))]
[IsDependentOn(typeof(DownloadFiles))]
[IsDependentOn(typeof(SyncImages))]
public sealed class AssembleKubespray : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var build = context.ListPackage("kubespray");
        var site = new SiteOptions(context.Settings.Text(SettingKeys.SiteHost)!, context.Settings.List(SettingKeys.SiteAddresses));
        var image = $"{site.Registry}/release/kubespray:{context.Settings.Text(SettingKeys.KubesprayRef) ?? "latest"}";
        var written = KubesprayPackageFiles.WriteTo(build.Staging, site, image);
        context.Log.Information("Kubespray files: {0}", string.Join(", ", written));
        context.RecordPackage(await PackageOutput.WriteAsync(build, context.OutputFolder, CancellationToken.None));
    }
}
