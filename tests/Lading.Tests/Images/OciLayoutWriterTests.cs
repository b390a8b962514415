using System.Text.Json;
using Lading.Images;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Images;

public class OciLayoutWriterTests : IDisposable
{
    private static readonly Platform Amd64 = new("linux", "amd64");
    private static readonly Platform Arm64 = new("linux", "arm64");

    private readonly TempFolder temp = new("lading-oci");
    private readonly ContentStore store;
    private readonly TestImageFactory images;

    public OciLayoutWriterTests()
    {
        store = new ContentStore(temp.Combine("store"));
        images = new TestImageFactory(store);
    }

    public void Dispose() => temp.Dispose();

    private string Layout => temp.Combine("package", "oci");

    [Fact]
    public async Task The_layout_has_its_marker_an_index_with_ref_names_and_linked_blobs()
    {
        var image = await images.OciImageAsync(Amd64, [1000, 2000]);

        var result = await new OciLayoutWriter(store, Layout).WriteAsync([new LayoutImage("library/nginx", "1.25.3", image.Manifest.Digest)], CancellationToken.None);

        Assert.Equal("""{"imageLayoutVersion":"1.0.0"}""", File.ReadAllText(Path.Combine(Layout, "oci-layout")));
        var entry = Assert.Single(Index().GetProperty("manifests").EnumerateArray());
        Assert.Equal(MediaTypes.OciManifest, entry.GetProperty("mediaType").GetString());
        Assert.Equal(image.Manifest.Digest.ToString(), entry.GetProperty("digest").GetString());
        Assert.Equal(image.Manifest.Size, entry.GetProperty("size").GetInt64());
        Assert.Equal("library/nginx:1.25.3", entry.GetProperty("annotations").GetProperty(OciLayoutWriter.RefNameAnnotation).GetString());
        Assert.Equal(4, result.Linked);
        foreach (var digest in image.Content.Keys)
        {
            Assert.Equal(FileIdentity.Of(store.PathOf(digest)), FileIdentity.Of(Path.Combine(Layout, "blobs", "sha256", digest.Hex)));
        }
    }

    [Fact]
    public async Task Writing_more_images_keeps_earlier_ones_and_renaming_one_replaces_its_entry()
    {
        var first = await images.OciImageAsync(Amd64, [100]);
        var second = await images.DockerImageAsync(Amd64, 100);
        var newer = await images.OciImageAsync(Amd64, [100]);
        var writer = new OciLayoutWriter(store, Layout);

        await writer.WriteAsync([new LayoutImage("release/b", "1", first.Manifest.Digest)], CancellationToken.None);
        await writer.WriteAsync([new LayoutImage("release/a", "1", second.Manifest.Digest)], CancellationToken.None);
        await writer.WriteAsync([new LayoutImage("release/b", "1", newer.Manifest.Digest)], CancellationToken.None);

        var entries = Index().GetProperty("manifests").EnumerateArray()
            .Select(e => (e.GetProperty("annotations").GetProperty(OciLayoutWriter.RefNameAnnotation).GetString(), e.GetProperty("digest").GetString()));
        Assert.Equal([("release/a:1", second.Manifest.Digest.ToString()), ("release/b:1", newer.Manifest.Digest.ToString())], entries);
    }

    [Fact]
    public async Task A_docker_image_keeps_its_media_type_and_digest_and_is_noted()
    {
        var image = await images.DockerImageAsync(Amd64, 100);

        var result = await new OciLayoutWriter(store, Layout).WriteAsync([new LayoutImage("release/app", "v1", image.Manifest.Digest)], CancellationToken.None);

        var entry = Assert.Single(Index().GetProperty("manifests").EnumerateArray());
        Assert.Equal(MediaTypes.DockerManifest, entry.GetProperty("mediaType").GetString());
        Assert.Equal(image.Manifest.Digest.ToString(), entry.GetProperty("digest").GetString());
        Assert.Contains("release/app:v1 keeps its docker media type", Assert.Single(result.Notices));
    }

    [Fact]
    public async Task Writing_the_same_images_twice_gives_the_same_bytes()
    {
        var image = await images.OciImageAsync(Amd64, [100]);
        var writer = new OciLayoutWriter(store, Layout);
        LayoutImage[] list = [new("release/b", "1", image.Manifest.Digest), new("release/a", "2", image.Manifest.Digest)];

        await writer.WriteAsync(list, CancellationToken.None);
        var before = File.ReadAllBytes(writer.IndexPath);
        var again = await writer.WriteAsync(list.Reverse(), CancellationToken.None);

        Assert.Equal(before, File.ReadAllBytes(writer.IndexPath));
        Assert.Equal((0, 3), (again.Linked, again.AlreadyPresent));
    }

    [Fact]
    public async Task Both_layouts_at_once_share_the_store_inodes()
    {
        var image = await images.DockerImageAsync(Amd64, 500, 600);
        LayoutImage[] list = [new("release/app", "v1", image.Manifest.Digest)];

        await new OciLayoutWriter(store, Layout).WriteAsync(list, CancellationToken.None);
        var tree = new RegistryTreeWriter(store, temp.Combine("package", "registry"));
        await tree.WriteAsync(list, CancellationToken.None);

        foreach (var digest in image.Content.Keys)
        {
            var identity = FileIdentity.Of(store.PathOf(digest));
            Assert.Equal(identity, FileIdentity.Of(Path.Combine(Layout, "blobs", "sha256", digest.Hex)));
            Assert.Equal(identity, FileIdentity.Of(tree.BlobPath(digest)));
            Assert.Equal(3u, UnixFile.Stat(store.PathOf(digest)).LinkCount);
        }
    }

    [SkippableFact]
    public async Task Skopeo_reads_each_image_of_the_layout_by_its_ref_name()
    {
        Requires.Tool("skopeo", "skopeo");
        var single = await images.OciImageAsync(Amd64, [20_000]);
        var amd = await images.OciImageAsync(Amd64, [10_000]);
        var arm = await images.OciImageAsync(Arm64, [11_000]);
        var multi = await images.OciIndexAsync((amd, Amd64), (arm, Arm64));
        await new OciLayoutWriter(store, Layout).WriteAsync(
            [new("release/app", "v1", single.Manifest.Digest), new("library/multi", "2.0", multi.Manifest.Digest)],
            CancellationToken.None);

        foreach (var (name, image) in new[] { ("release/app:v1", single), ("library/multi:2.0", multi) })
        {
            var raw = await Skopeo.RawManifestAsync($"oci:{Layout}:{name}");
            Assert.Equal(image.Manifest.Digest, Digest.Of(System.Text.Encoding.UTF8.GetBytes(raw)));
        }

        var armLayers = ImageManifest.Parse(arm.ManifestBytes).Layers.Select(l => l.Digest.ToString());
        var inspected = await Skopeo.InspectAsync($"oci:{Layout}:library/multi:2.0", "--override-arch=arm64");
        Assert.Equal(armLayers, inspected.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()));

        var copy = temp.Combine("copied");
        await Skopeo.RunAsync("copy", "--all", "--preserve-digests", $"oci:{Layout}:library/multi:2.0", $"oci:{copy}:multi");
        var copied = JsonDocument.Parse(File.ReadAllText(Path.Combine(copy, "index.json"))).RootElement.GetProperty("manifests")[0];
        Assert.Equal(multi.Manifest.Digest.ToString(), copied.GetProperty("digest").GetString());
    }

    private JsonElement Index() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Layout, "index.json"))).RootElement;
}
