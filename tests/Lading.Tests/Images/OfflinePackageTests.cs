using Lading.Images;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Images;

/// <summary>
/// The whole image path of an offline package with no registry on the build side: lists and origin mapping, OCI
/// layouts as sources, the store, both layouts by hard link, one tar, extraction on site, a stock registry serving it.
/// </summary>
public class OfflinePackageTests : IDisposable
{
    private static readonly Platform Amd64 = new("linux", "amd64");
    private static readonly Platform Arm64 = new("linux", "arm64");

    private readonly TempFolder temp = new("lading-offline");

    public void Dispose() => temp.Dispose();

    [SkippableFact]
    public async Task Images_from_lists_reach_a_site_registry_through_one_package_tar_with_their_digests()
    {
        Requires.Tool("skopeo", "skopeo");
        Requires.Tool("docker-registry", "docker-registry");

        // Upstream: an internal layout of site names, and a vendor layout under its own names.
        var upstream = new ContentStore(temp.Combine("upstream-store"));
        var factory = new TestImageFactory(upstream);
        var cyclone = await factory.OciImageAsync(Amd64, [40_000]);
        var baseLayer = await factory.LayerAsync(60_000, "application/vnd.oci.image.layer.v1.tar+gzip");
        var amd = await factory.OciImageAsync(Amd64, [5_000], baseLayer);
        var arm = await factory.OciImageAsync(Arm64, [6_000], baseLayer);
        var coredns = await factory.OciIndexAsync((amd, Amd64), (arm, Arm64));
        await new OciLayoutWriter(upstream, temp.Combine("internal")).WriteAsync([new("release/cyclone", "v1.2.0", cyclone.Manifest.Digest)], CancellationToken.None);
        await new OciLayoutWriter(upstream, temp.Combine("staging")).WriteAsync([new("library/coredns", "1.8.0", coredns.Manifest.Digest)], CancellationToken.None);
        var vendor = temp.Combine("release", "images", "vendor");
        Directory.CreateDirectory(Path.GetDirectoryName(vendor)!);
        await Skopeo.RunAsync("copy", "--all", "--preserve-digests", $"oci:{temp.Combine("staging")}:library/coredns:1.8.0", $"oci:{vendor}:k8s.gcr.io/coredns:1.8.0");

        temp.Write("release/images/images_devops.list", "release/cyclone:v1.2.0   # the platform's own\n");
        temp.Write("release/images/images_network.list", "oci:vendor:k8s.gcr.io/coredns:1.8.0\n");
        var origin = OriginMapping.Parse("- {src: k8s.gcr.io/coredns, dest: library/coredns}\n", "images_origin.yaml");
        var plan = ImagePlan.Create(ImageList.Load(temp.Combine("release", "images")), origin, "oci:" + temp.Combine("internal"));
        Assert.Equal(["release/cyclone:v1.2.0", "library/coredns:1.8.0"], plan.Images.Select(i => i.SiteName.SiteName));

        // Build side: every image into the cache, then both layouts by hard link, then one tar.
        var cache = new ContentStore(temp.Combine("cache"));
        var layoutImages = new List<LayoutImage>();
        foreach (var image in plan.Images)
        {
            var source = (OciSource)image.Sources[0];
            var top = await OciLayoutSource.Open(source.Layout).ImportAsync(source.RefName, cache, null, CancellationToken.None);
            layoutImages.Add(LayoutImage.From(image.SiteName, top.Digest));
        }

        var package = temp.Combine("package");
        await new RegistryTreeWriter(cache, Path.Combine(package, "registry")).WriteAsync(layoutImages, CancellationToken.None);
        await new OciLayoutWriter(cache, Path.Combine(package, "oci")).WriteAsync(layoutImages, CancellationToken.None);
        var tar = temp.Combine("out", "platform-images.tar");
        var written = await PackageTarWriter.WriteFileAsync(package, tar, CancellationToken.None);

        // Each blob is in both layouts, yet its bytes are in the tar once: every second path is a hard-link entry.
        var blobs = cache.List().ToList();
        Assert.Equal((blobs.Count + LinkFileCount(package) + 2, blobs.Count), (written.Files, written.HardLinks));
        var uniqueBytes = blobs.Sum(cache.SizeOf);
        Assert.InRange(new FileInfo(tar).Length, uniqueBytes, uniqueBytes + 200_000);

        // Site side: extract, serve read-only, pull back.
        var site = temp.Combine("site");
        await SafeTarExtractor.ExtractFileAsync(tar, site, CancellationToken.None);
        var siteTree = new RegistryTreeWriter(cache, Path.Combine(site, "registry"));
        var siteLayout = new OciLayoutWriter(cache, Path.Combine(site, "oci"));
        Assert.All(blobs, b => Assert.Equal(FileIdentity.Of(siteTree.BlobPath(b)), FileIdentity.Of(siteLayout.BlobPath(b))));
        using var registry = await DockerRegistry.StartAsync(Path.Combine(site, "registry"));
        try
        {
            foreach (var (name, image) in new[] { ("release/cyclone:v1.2.0", cyclone), ("library/coredns:1.8.0", coredns) })
            {
                var raw = await Skopeo.RawManifestAsync($"docker://{registry.Host}/{name}", "--tls-verify=false");
                Assert.Equal(image.Manifest.Digest, Digest.Of(System.Text.Encoding.UTF8.GetBytes(raw)));
                var fromLayout = await Skopeo.RawManifestAsync($"oci:{Path.Combine(site, "oci")}:{name}");
                Assert.Equal(image.Manifest.Digest, Digest.Of(System.Text.Encoding.UTF8.GetBytes(fromLayout)));
            }

            var pulled = temp.Combine("pulled");
            await Skopeo.RunAsync("copy", "--all", "--preserve-digests", "--src-tls-verify=false", $"docker://{registry.Host}/library/coredns:1.8.0", $"oci:{pulled}:coredns");
            var check = new ContentStore(temp.Combine("check"));
            var imported = await OciLayoutSource.Open(pulled).ImportAsync("coredns", check, null, CancellationToken.None);
            Assert.Equal(coredns.Manifest.Digest, imported.Digest);
        }
        catch (Exception error) when (error is not SkipException)
        {
            throw new Xunit.Sdk.XunitException($"{error.Message}\n--- docker-registry log ---\n{registry.Logs}");
        }
    }

    private static int LinkFileCount(string package) =>
        Directory.GetFiles(Path.Combine(package, "registry"), "link", SearchOption.AllDirectories).Length;
}
