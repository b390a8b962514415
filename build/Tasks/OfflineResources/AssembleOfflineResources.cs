using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Bootstrap;
using Lading.Images;
using Lading.Packaging;
using Lading.Recipes;
using Lading.Tasks.Files;
using Lading.Tasks.Images;

namespace Lading.Tasks.OfflineResources;

[TaskName(nameof(AssembleOfflineResources))]
[TaskDescription("Assembles the offline-resources package: files/, repos/, images/ and the site bootstrap (compose.yaml for nerdctl, TLS, nginx and registry images as OCI archives, install.sh, endpoints) into one tar with its manifest")]
[IsDependentOn(typeof(BuildOsRepos))]
[IsDependentOn(typeof(DownloadFiles))]
[IsDependentOn(typeof(SyncImages))]
public sealed class AssembleOfflineResources : AsyncFrostingTask<BuildContext>
{
    public const string ArchivesFolder = "images-archives";

    public override async Task RunAsync(BuildContext context)
    {
        var build = context.ListPackage("offline-resources");
        var site = new SiteOptions(context.Settings.Text(SettingKeys.SiteHost)!, context.Settings.List(SettingKeys.SiteAddresses))
        {
            NginxImage = context.Settings.Text(SettingKeys.SiteNginxImage)!,
            RegistryImage = context.Settings.Text(SettingKeys.SiteRegistryImage)!,
            ImagesFolder = $"images/{PackageImages.RegistryFolder}",
        };

        var nerdctl = Directory.Exists(Path.Combine(build.Staging, "files"))
            ? Directory.GetFiles(Path.Combine(build.Staging, "files"), "nerdctl-full-*.tar.gz", SearchOption.AllDirectories).Order(StringComparer.Ordinal).LastOrDefault()
            : null;
        if (nerdctl is null)
        {
            throw new PackageException("files.list names no nerdctl-full-<version>-linux-<arch>.tar.gz: the site needs it to run nginx and the registry");
        }

        var nginx = await SaveImage(context, build, site.NginxImage, "nginx");
        var registry = await SaveImage(context, build, site.RegistryImage, "registry");
        var written = SiteBootstrap.WriteTo(build.Staging, site, new SiteArchives(Path.GetRelativePath(build.Staging, nerdctl), nginx, registry), SiteTls.Generate(site, DateTimeOffset.UtcNow));
        context.Log.Information("Site bootstrap: {0}", string.Join(", ", written));
        context.RecordPackage(await PackageOutput.WriteAsync(build, context.OutputFolder, CancellationToken.None));
    }

    /// <summary>Saves one image as an OCI archive that `nerdctl load` takes, named as compose.yaml names it.</summary>
    private static async Task<string> SaveImage(BuildContext context, PackageBuild build, string image, string file)
    {
        var reference = ImageReference.Parse(image);
        var list = ImageList.Parse(reference.HasExplicitRegistry && reference.Registry != ImageReference.DockerHub ? reference.ToString() : reference.SiteName, $"site image {image}");
        var plan = Lading.Images.ImagePlan.Create(list, context.Origin, context.SourceRegistry);
        var store = context.Store;
        var synced = await context.ImageSync(store).SyncAsync(plan, context.Platforms, null, CancellationToken.None);
        var layout = Path.Combine(context.PathOf(SettingKeys.Work), "site-images", file);
        if (Directory.Exists(layout))
        {
            Directory.Delete(layout, recursive: true);
        }

        // The ref name is the site name; containerd reads it with the docker.io defaults, as compose.yaml names the image.
        await new OciLayoutWriter(store, layout).WriteAsync([new LayoutImage(reference.Repository, reference.Tag, synced.Images.Single().Manifest.Digest)], CancellationToken.None);
        var archive = Path.Combine(build.Staging, ArchivesFolder, file + ".oci.tar");
        await PackageTarWriter.WriteFileAsync(layout, archive, CancellationToken.None);
        return Path.GetRelativePath(build.Staging, archive);
    }
}
