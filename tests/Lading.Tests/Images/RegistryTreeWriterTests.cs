using System.Runtime.Versioning;
using System.Text.Json;
using Lading.Images;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Images;

[SupportedOSPlatform("linux")]
public class RegistryTreeWriterTests : IDisposable
{
    private static readonly Platform Amd64 = new("linux", "amd64");
    private static readonly Platform Arm64 = new("linux", "arm64", "v8");

    private readonly TempFolder temp = new("lading-tree");
    private readonly ContentStore store;
    private readonly TestImageFactory images;

    public RegistryTreeWriterTests()
    {
        store = new ContentStore(temp.Combine("store"));
        images = new TestImageFactory(store);
    }

    public void Dispose() => temp.Dispose();

    private string V2 => temp.Combine("package", "registry", "docker", "registry", "v2");

    [Fact]
    public async Task The_tree_has_blob_data_layer_links_revisions_and_the_tag()
    {
        var image = await images.DockerImageAsync(Amd64, 2000, 3000);
        var manifest = ImageManifest.Parse(image.ManifestBytes);
        var writer = new RegistryTreeWriter(store, temp.Combine("package", "registry"));

        var result = await writer.WriteAsync([new LayoutImage("release/app", "v1", image.Manifest.Digest)], CancellationToken.None);

        Assert.Equal((1, 4, 0, 0), (result.Images, result.Linked, result.AlreadyPresent, result.Copied));
        var repository = Path.Combine(V2, "repositories", "release", "app");
        var expected = new List<string> { $"_manifests/revisions/sha256/{image.Manifest.Digest.Hex}/link", "_manifests/tags/v1/current/link" };
        expected.AddRange(manifest.Blobs.Select(b => $"_layers/sha256/{b.Digest.Hex}/link"));
        Assert.Equal(expected.Order(StringComparer.Ordinal), Files(repository));
        foreach (var digest in manifest.Blobs.Select(b => b.Digest).Append(image.Manifest.Digest))
        {
            var data = Path.Combine(V2, "blobs", "sha256", digest.Hex[..2], digest.Hex, "data");
            Assert.Equal(FileIdentity.Of(store.PathOf(digest)), FileIdentity.Of(data));
        }

        Assert.Equal(4, Directory.GetFiles(Path.Combine(V2, "blobs"), "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task A_link_file_is_the_digest_in_71_bytes_without_newline()
    {
        var image = await images.DockerImageAsync(Amd64, 100);
        await new RegistryTreeWriter(store, temp.Combine("package", "registry")).WriteAsync([new LayoutImage("release/app", "v1", image.Manifest.Digest)], CancellationToken.None);

        var link = File.ReadAllBytes(Path.Combine(V2, "repositories", "release", "app", "_manifests", "tags", "v1", "current", "link"));

        Assert.Equal(71, link.Length);
        Assert.Equal(image.Manifest.Digest.ToString(), System.Text.Encoding.ASCII.GetString(link));
    }

    [Fact]
    public async Task An_index_gets_a_revision_for_itself_and_each_platform_manifest()
    {
        var index = await MultiPlatformAsync();
        var children = ImageManifest.Parse(index.ManifestBytes).Manifests.Select(m => m.Digest.Hex).ToList();

        await new RegistryTreeWriter(store, temp.Combine("package", "registry")).WriteAsync([new LayoutImage("library/multi", "2.0", index.Manifest.Digest)], CancellationToken.None);

        var revisions = Directory.GetDirectories(Path.Combine(V2, "repositories", "library", "multi", "_manifests", "revisions", "sha256")).Select(Path.GetFileName);
        Assert.Equal(children.Append(index.Manifest.Digest.Hex).Order(), revisions.Order());
    }

    [Fact]
    public async Task Writing_again_keeps_what_is_there_and_repairs_what_is_wrong()
    {
        var image = await images.DockerImageAsync(Amd64, 1000, 1000);
        var writer = new RegistryTreeWriter(store, temp.Combine("package", "registry"));
        LayoutImage[] list = [new LayoutImage("release/app", "v1", image.Manifest.Digest)];
        await writer.WriteAsync(list, CancellationToken.None);
        var tag = Path.Combine(V2, "repositories", "release", "app", "_manifests", "tags", "v1", "current", "link");
        File.WriteAllText(tag, image.Manifest.Digest + "\n");
        var layer = ImageManifest.Parse(image.ManifestBytes).Layers[0].Digest;
        var data = writer.BlobPath(layer);
        File.Delete(data);
        File.WriteAllText(data, "not the layer");

        var again = await writer.WriteAsync(list, CancellationToken.None);

        Assert.Equal((1, 3, 0), (again.Linked, again.AlreadyPresent, again.Copied));
        Assert.Equal(71, new FileInfo(tag).Length);
        Assert.Equal(FileIdentity.Of(store.PathOf(layer)), FileIdentity.Of(data));
        Assert.Empty(Directory.GetFiles(temp.Combine("package"), "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_layer_missing_from_the_store_is_an_error_naming_the_image_and_the_blob()
    {
        var image = await images.DockerImageAsync(Amd64, 100);
        var layer = ImageManifest.Parse(image.ManifestBytes).Layers[0].Digest;
        File.Delete(store.PathOf(layer));

        var error = await Assert.ThrowsAsync<ImageLayoutException>(() =>
            new RegistryTreeWriter(store, temp.Combine("package", "registry")).WriteAsync([new LayoutImage("release/app", "v1", image.Manifest.Digest)], CancellationToken.None));

        Assert.Contains("release/app:v1", error.Message);
        Assert.Contains(layer.ToString(), error.Message);
    }

    [Fact]
    public async Task A_platform_not_in_the_store_is_left_out_and_reported()
    {
        var index = await MultiPlatformAsync();
        var arm = ImageManifest.Parse(index.ManifestBytes).Manifests.Single(m => m.Platform!.Architecture == "arm64").Digest;
        File.Delete(store.PathOf(arm));

        var result = await new RegistryTreeWriter(store, temp.Combine("package", "registry"))
            .WriteAsync([new LayoutImage("library/multi", "2.0", index.Manifest.Digest)], CancellationToken.None);

        Assert.Equal([$"library/multi:2.0: platform linux/arm64/v8 ({arm}) is not in the store and was left out"], result.Notices);
    }

    [Fact]
    public async Task An_image_known_only_by_digest_gets_its_revision_and_no_tag()
    {
        var image = await images.DockerImageAsync(Amd64, 100);
        var site = ImageReference.Parse($"release/app@{image.Manifest.Digest}");

        await new RegistryTreeWriter(store, temp.Combine("package", "registry")).WriteAsync([LayoutImage.From(site, image.Manifest.Digest)], CancellationToken.None);

        var manifests = Path.Combine(V2, "repositories", "release", "app", "_manifests");
        Assert.True(File.Exists(Path.Combine(manifests, "revisions", "sha256", image.Manifest.Digest.Hex, "link")));
        Assert.False(Directory.Exists(Path.Combine(manifests, "tags")));
    }

    [Fact]
    public void A_pinned_digest_other_than_the_fetched_manifest_is_an_error()
    {
        var pinned = Digest.Of("one"u8);
        var fetched = Digest.Of("two"u8);

        var error = Assert.Throws<ImageLayoutException>(() => LayoutImage.From(ImageReference.Parse($"release/app:v1@{pinned}"), fetched));

        Assert.Contains($"pinned to {pinned}", error.Message);
        Assert.Contains(fetched.ToString(), error.Message);
    }

    [SkippableFact]
    public async Task A_stock_registry_serves_the_tree_read_only_and_skopeo_pulls_identical_digests()
    {
        Requires.Tool("skopeo", "skopeo");
        var docker = await images.DockerImageAsync(Amd64, 50_000, 20_000);
        var multi = await MultiPlatformAsync();
        var oci = await images.OciImageAsync(Amd64, [30_000]);
        var root = temp.Combine("package", "registry");
        await new RegistryTreeWriter(store, root).WriteAsync(
            [
                new LayoutImage("release/app", "v1", docker.Manifest.Digest),
                new LayoutImage("library/multi", "2.0", multi.Manifest.Digest),
                new LayoutImage("library/oci-only", "1.0", oci.Manifest.Digest),
                new LayoutImage("release/app", "v1-again", docker.Manifest.Digest),
            ],
            CancellationToken.None);
        MakeReadOnly(root);

        using var registry = await DockerRegistry.StartAsync(root);
        try
        {
            foreach (var (name, image) in new[] { ("release/app:v1", docker), ("release/app:v1-again", docker), ("library/multi:2.0", multi), ("library/oci-only:1.0", oci) })
            {
                var raw = await Skopeo.RawManifestAsync($"docker://{registry.Host}/{name}", "--tls-verify=false");
                Assert.Equal(image.Manifest.Digest, Digest.Of(System.Text.Encoding.UTF8.GetBytes(raw)));
                var inspected = await Skopeo.InspectAsync($"docker://{registry.Host}/{name}", "--tls-verify=false");
                Assert.Equal(image.Manifest.Digest.ToString(), inspected.GetProperty("Digest").GetString());
            }

            var armManifest = ImageManifest.Parse(multi.ManifestBytes).Manifests.Single(m => m.Platform!.Architecture == "arm64");
            var armLayers = ImageManifest.Parse(multi.Content[armManifest.Digest]).Layers.Select(l => l.Digest.ToString());
            var arm = await Skopeo.InspectAsync($"docker://{registry.Host}/library/multi:2.0", "--tls-verify=false", "--override-arch=arm64", "--override-variant=v8");
            Assert.Equal(armLayers, arm.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()));

            // Copied with every platform into an OCI layout, the index and each manifest keep their digests.
            var copy = temp.Combine("pulled-oci");
            await Skopeo.RunAsync("copy", "--all", "--preserve-digests", "--src-tls-verify=false", $"docker://{registry.Host}/library/multi:2.0", $"oci:{copy}:multi");
            var pulledIndex = JsonDocument.Parse(File.ReadAllText(Path.Combine(copy, "index.json"))).RootElement.GetProperty("manifests")[0];
            Assert.Equal(multi.Manifest.Digest.ToString(), pulledIndex.GetProperty("digest").GetString());
            foreach (var digest in multi.Content.Keys.Where(d => IsPartOf(multi, d)))
            {
                Assert.Equal(multi.Content[digest], File.ReadAllBytes(Path.Combine(copy, "blobs", "sha256", digest.Hex)));
            }

            // A docker v2 image copied to a dir: keeps its manifest bytes and every blob.
            var dir = temp.Combine("pulled-dir");
            await Skopeo.RunAsync("copy", "--src-tls-verify=false", $"docker://{registry.Host}/release/app:v1", $"dir:{dir}");
            Assert.Equal(docker.ManifestBytes, File.ReadAllBytes(Path.Combine(dir, "manifest.json")));
            foreach (var blob in ImageManifest.Parse(docker.ManifestBytes).Blobs)
            {
                Assert.Equal(docker.Content[blob.Digest], File.ReadAllBytes(Path.Combine(dir, blob.Digest.Hex)));
            }
        }
        catch (Exception error) when (error is not SkipException)
        {
            throw new Xunit.Sdk.XunitException($"{error.Message}\n--- docker-registry log ---\n{registry.Logs}");
        }
    }

    private async Task<TestImage> MultiPlatformAsync()
    {
        var baseLayer = await images.LayerAsync(40_000, "application/vnd.oci.image.layer.v1.tar+gzip");
        var amd = await images.OciImageAsync(Amd64, [10_000], baseLayer);
        var arm = await images.OciImageAsync(Arm64, [12_000], baseLayer);
        return await images.OciIndexAsync((amd, Amd64), (arm, Arm64));
    }

    private static bool IsPartOf(TestImage index, Digest digest)
    {
        var manifests = ImageManifest.Parse(index.ManifestBytes).Manifests.Select(m => m.Digest).ToList();
        return digest == index.Manifest.Digest || manifests.Contains(digest)
            || manifests.Any(m => ImageManifest.Parse(index.Content[m]).Blobs.Any(b => b.Digest == digest));
    }

    private static IEnumerable<string> Files(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal);

    private static void MakeReadOnly(string root)
    {
        foreach (var file in Directory.GetFiles(root, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }
}
