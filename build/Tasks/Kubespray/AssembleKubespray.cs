using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Bootstrap;
using Lading.Kubespray;
using Lading.Packaging;
using Lading.Recipes;
using Lading.Tasks.Files;
using Lading.Tasks.Images;
using Lading.Tasks.OfflineResources;
using Lading.Tools.Ansible;
using Lading.Tools.Git;

namespace Lading.Tasks.Kubespray;

[TaskName(nameof(AssembleKubespray))]
[TaskDescription("Assembles the Kubespray package: the offline resources its lists need, an inventory sample with the cluster config for the offline site (every name proven with Kubespray's own lists), the node-preparation and system-info playbooks, load.sh and install.sh")]
[CommandLine("part of Kubespray")]
[IsDependentOn(typeof(BuildOsRepos))]
[IsDependentOn(typeof(DownloadFiles))]
[IsDependentOn(typeof(SyncImages))]
[Needs(SettingKeys.Kubespray)]
[OpensPackage(PackageKind.Kubespray)]
public sealed class AssembleKubespray : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var build = context.PackageBuild!;
        var kubespray = context.Kubespray;
        var offline = context.Offline;
        var site = SiteOptions.From(offline.SiteConfig, offline.SiteHost, offline.SiteAddresses);
        var written = KubesprayPackageFiles.WriteTo(build.Staging, site, kubespray.Version, build.Version, KubesprayPackageFiles.OsRepos(build.Staging), KubesprayClusterConfig.UpstreamRegistries);

        var tree = context.KubesprayTree;
        var request = new KubesprayListRequest(tree, kubespray.Arch, kubespray.KubeVersion);
        var held = build.PackagedImages.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var overrides = new KubesprayNameProof(new KubesprayListGenerator(context.PlaybookScript()))
            .Settle(request, build.Staging, site, context.ImageServices.Origin, held, KubesprayImage.SiteNameFor(kubespray.Version), Path.Combine(context.Paths.Work, "ansible"));

        context.Log.Information("Kubespray files: {0}", string.Join(", ", written));
        context.Log.Information("Every image and file Kubespray asks for resolves on {0}{1}", site.Hostname, overrides.Count == 0 ? string.Empty : $" ({overrides.Count} variable(s) of their own: {string.Join(", ", overrides.Select(o => o.Variable))})");
        context.Record("names", overrides.Count == 0 ? "all resolve" : $"all resolve, {overrides.Count} with a variable of their own");
        context.RecordPackage(await PackageOutput.WriteAsync(build, context.Paths.Output, CancellationToken.None));
    }
}
