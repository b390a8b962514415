using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Bootstrap;
using Lading.Images;
using Lading.Packaging;
using Lading.Tasks.Files;
using Lading.Tasks.Images;

namespace Lading.Tasks.OfflineResources;

[TaskName(nameof(AssembleOfflineResources))]
[TaskDescription("Assembles the offline-resources package: files/, repos/, images/ and the site bootstrap (site.yaml, install.sh for podman or nerdctl, the nginx and registry images as OCI archives) into one tar with its manifest")]
[CommandLine("part of OfflineResources")]
[IsDependentOn(typeof(BuildOsRepos))]
[IsDependentOn(typeof(DownloadFiles))]
[IsDependentOn(typeof(SyncImages))]
[OpensPackage(PackageKind.OfflineResources)]
public sealed class AssembleOfflineResources : AsyncFrostingTask<BuildContext>
{
    public const string ArchivesFolder = "images-archives";

    public override async Task RunAsync(BuildContext context)
    {
        var build = context.PackageBuild!;
        var offline = context.Offline;
        var site = SiteOptions.From(offline.SiteConfig, offline.SiteHost, offline.SiteAddresses) with
        {
            NginxImage = offline.NginxImage,
            RegistryImage = offline.RegistryImage,
            ImagesFolder = $"images/{PackageImages.RegistryFolder}",
        };

        var files = Path.Combine(build.Staging, "files");
        var nerdctl = Directory.Exists(files)
            ? Directory.GetFiles(files, "nerdctl-full-*.tar.gz", SearchOption.AllDirectories).Order(StringComparer.Ordinal).LastOrDefault()
            : null;
        if (nerdctl is null)
        {
            context.Log.Warning("files.list names no nerdctl-full-<version>-linux-<arch>.tar.gz: the site runs with podman, or with a nerdctl already installed");
        }

        var archives = new List<string>();
        foreach (var (image, name) in new[] { (site.NginxImage, "nginx"), (site.RegistryImage, "registry") })
        {
            var archive = Path.Combine(build.Staging, ArchivesFolder, name + ".oci.tar");
            await OciArchive.SaveAsync(context.ImageServices, image, Path.Combine(context.Paths.Work, "site-images", name), archive, CancellationToken.None);
            archives.Add(Path.GetRelativePath(build.Staging, archive));
        }

        var written = SiteBootstrap.WriteTo(build.Staging, site, new SiteArchives(nerdctl is null ? null : Path.GetRelativePath(build.Staging, nerdctl), archives[0], archives[1]));
        context.Log.Information("Site bootstrap: {0} (site {1})", string.Join(", ", written), site.Hostname);
        context.RecordPackage(await PackageOutput.WriteAsync(build, context.Paths.Output, CancellationToken.None));
    }
}
