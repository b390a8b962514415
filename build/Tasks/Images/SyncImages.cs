using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Images;
using Lading.Reporting;

namespace Lading.Tasks.Images;

[TaskName(nameof(SyncImages))]
[TaskDescription("Fetches every image of the lists into the content store (each blob once) and lays them out under --output (or into the package being built) by hard links: registry tree, OCI layout or both")]
[CommandLine("./build.sh --target=SyncImages --images=<list|folder> --output=<dir> [--layout=registry|oci|both] [--origin=images_origin.yaml] [--source-registry=<host[:port]>|oci:<dir>] [--platform=linux/amd64,linux/arm64|all] [--cache=<dir>]")]
public sealed class SyncImages : AsyncFrostingTask<BuildContext>, IDryRunAware
{
    public override async Task RunAsync(BuildContext context)
    {
        // Inside a package build the lists are the release's, at its version, and the images go into the package.
        var build = context.PackageBuild;
        var images = context.ImageServices;
        // A hotfix carries the images its changed charts need, found in the charts, whether or not a list names them.
        var plan = build?.Images is { } wanted
            ? images.Plan(ImageList.Parse(string.Join('\n', wanted.Order(StringComparer.Ordinal)), "the images the hotfix's charts need"))
            : images.Plan(build?.ImageLists ?? context.ImageLists);

        if (context.IsDryRun)
        {
            context.Log.Information("[dry run] would fetch {0} image(s):\n{1}", plan.Images.Count, string.Join('\n', plan.Describe()));
            return;
        }

        ImageSyncResult result = null!;
        await context.Progress.RunAsync("SyncImages", async scope => result = await images.Sync().SyncAsync(plan, images.Platforms, scope, CancellationToken.None));
        var output = build?.ImagesFolder ?? context.Paths.Output;
        build?.PackagedImages.AddRange(result.Images.Select(i => new Lading.Packaging.PackagedImageEntry(i.Image.SiteName.SiteName, i.Manifest.Digest.ToString(), i.Manifest.MediaType, i.Manifest.Size, Recorded(i.From, context.Paths.WorkingDirectory)) { Bytes = i.Bytes }));
        var written = await PackageImages.WriteAsync(images.Store, output, context.Images.Layout, result.LayoutImages, CancellationToken.None,
            (from, to, why) => context.Log.Warning("copied {0} instead of linking it ({1})", to, why));
        foreach (var (path, digest) in written.Values.SelectMany(w => w.Blobs))
        {
            build?.KnownDigests.TryAdd(path, digest);
        }

        context.Log.Information("{0} image(s), {1} unique blob(s), {2}: {3} fetched, {4} reused from the store",
            result.Images.Count, result.UniqueBlobs, PlainProgress.Bytes(result.TotalBytes), PlainProgress.Bytes(result.FetchedBytes), PlainProgress.Bytes(result.ReusedBytes));
        context.Record("images", result.Images.Count.ToString());
        context.Record("unique blobs", result.UniqueBlobs.ToString());
        context.Record("bytes fetched", result.FetchedBytes.ToString());
        context.Record("bytes reused", result.ReusedBytes.ToString());
        foreach (var (kind, outcome) in written)
        {
            context.Record($"{kind.ToString().ToLowerInvariant()} layout", Path.Combine(output, kind == ImageLayoutKind.Registry ? PackageImages.RegistryFolder : PackageImages.OciFolder));
            foreach (var notice in outcome.Notices)
            {
                context.Log.Warning(notice);
            }
        }
    }

    /// <summary>A source as the manifest records it: a layout relative to the working folder, so no build path ends up in a package.</summary>
    private static string Recorded(ImageSource source, string workingDirectory) =>
        (source is OciSource oci ? oci with { Layout = Path.GetRelativePath(workingDirectory, oci.Layout) } : source).ToString();
}
