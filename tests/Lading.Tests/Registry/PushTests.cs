using Lading.Images;
using Lading.Images.Registry;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Registry;

public sealed class PushTests(PopulatedRegistry registry) : IClassFixture<PopulatedRegistry>, IDisposable
{
    private readonly TempFolder _folder = new("lading-push");

    public void Dispose() => _folder.Dispose();

    [SkippableFact]
    public async Task Chunked_upload_of_a_large_layer_is_read_back_by_skopeo()
    {
        var images = new FolderImages(new FolderBlobStore(_folder.Combine("source")));
        var big = await images.LayerAsync(300_000);
        var image = await images.OciImageAsync("amd64", null, big);
        await using var proxy = new RegistryProxy(registry.Server.Host);
        using var client = new RegistryClient(new RegistryClientOptions { PushChunkSize = 64 * 1024 });
        var repository = new RegistryRepository(proxy.Host, "release/chunked");

        await client.PushImageAsync(repository, "1.0", image.Digest, images.Store, CancellationToken.None);

        Assert.Equal(image.Digest, await Skopeo.RawDigestAsync(registry.Server.Host, "release/chunked:1.0"));
        Assert.Equal((int)Math.Ceiling(big.Size / (64 * 1024.0)), proxy.Requests.Count(r => r.Method == "PATCH"));
        var store = new FolderBlobStore(_folder.Combine("back"));
        await client.PullAsync(repository, "1.0", store, PlatformSelection.All, CancellationToken.None);
        Assert.Equal(images.Store.Read(big.Digest), store.Read(big.Digest));
    }

    [SkippableFact]
    public async Task Chunked_upload_sends_patches_with_content_ranges()
    {
        var images = new FolderImages(new FolderBlobStore(_folder.Combine("source")));
        var big = await images.LayerAsync(200_000);
        await using var proxy = new RegistryProxy(registry.Server.Host);
        using var client = new RegistryClient(PopulatedRegistry.FastOptions());
        var repository = new RegistryRepository(proxy.Host, "release/ranges");

        Assert.True(await client.PushBlobAsync(repository, big.Digest, images.Store, CancellationToken.None, chunkSize: 50_000));

        var patches = proxy.Requests.Where(r => r.Method == "PATCH").ToArray();
        Assert.Equal((int)Math.Ceiling(big.Size / 50_000.0), patches.Length);
        Assert.True(await client.BlobExistsAsync(registry.Repository("release/ranges"), big.Digest, CancellationToken.None));
        Assert.False(await client.PushBlobAsync(repository, big.Digest, images.Store, CancellationToken.None), "a blob already there is not sent again");
    }

    [SkippableFact]
    public async Task Monolithic_upload_is_one_post_and_one_put()
    {
        var images = new FolderImages(new FolderBlobStore(_folder.Combine("source")));
        var layer = await images.LayerAsync(20_000);
        await using var proxy = new RegistryProxy(registry.Server.Host);
        using var client = new RegistryClient(PopulatedRegistry.FastOptions());

        await client.PushBlobAsync(new RegistryRepository(proxy.Host, "release/mono"), layer.Digest, images.Store, CancellationToken.None);

        Assert.Equal(["HEAD", "POST", "PUT"], proxy.Requests.Select(r => r.Method));
        Assert.Contains($"digest={Uri.EscapeDataString(layer.Digest.ToString())}", proxy.Requests[2].PathAndQuery);
    }

    [SkippableFact]
    public async Task Blob_already_in_another_repository_is_mounted_not_uploaded()
    {
        await using var proxy = new RegistryProxy(registry.Server.Host);
        using var client = new RegistryClient(PopulatedRegistry.FastOptions());
        var target = new RegistryRepository(proxy.Host, "release/mounted");
        var layer = registry.Docker.Blobs[1];

        Assert.True(await client.TryMountBlobAsync(target, layer, "library/plain", CancellationToken.None));
        Assert.False(await client.TryMountBlobAsync(target, Digest.Of([1, 2, 3]), "library/plain", CancellationToken.None));

        Assert.Equal("POST", proxy.Requests[0].Method);
        Assert.Contains("from=library%2Fplain", proxy.Requests[0].PathAndQuery);
        Assert.Equal(["POST", "POST", "DELETE"], proxy.Requests.Select(r => r.Method));
        Assert.True(await client.BlobExistsAsync(registry.Repository("release/mounted"), layer, CancellationToken.None));
    }

    [SkippableFact]
    public async Task Pushed_index_is_served_with_its_platform_manifests_to_skopeo()
    {
        using var client = new RegistryClient(PopulatedRegistry.FastOptions());
        var repository = registry.Repository("release/copy");

        await client.PushImageAsync(repository, "3.1", registry.Multi.Digest, registry.Source, CancellationToken.None, mountFrom: "release/multi");

        Assert.Equal(registry.Multi.Digest, await Skopeo.RawDigestAsync(registry.Server.Host, "release/copy:3.1"));
        Assert.Equal(registry.MultiArm64.Digest, await Skopeo.RawDigestAsync(registry.Server.Host, $"release/copy@{registry.MultiArm64.Digest}"));
    }

    [SkippableFact]
    public async Task Pushing_a_blob_the_store_lacks_fails_at_once_without_touching_the_registry()
    {
        await using var proxy = new RegistryProxy(registry.Server.Host);
        using var client = new RegistryClient(PopulatedRegistry.FastOptions());

        var error = await Assert.ThrowsAsync<BlobNotFoundException>(() =>
            client.PushBlobAsync(new RegistryRepository(proxy.Host, "release/none"), Digest.Of([9, 9]), new FolderBlobStore(_folder.Combine("empty")), CancellationToken.None));

        Assert.Contains(Digest.Of([9, 9]).ToString(), error.Message);
        Assert.Empty(proxy.Requests);
    }

    [SkippableFact]
    public async Task Manifest_push_returns_the_digest_of_its_bytes()
    {
        using var client = new RegistryClient(PopulatedRegistry.FastOptions());
        var bytes = registry.Source.Read(registry.Docker.Digest);

        var digest = await client.PushManifestAsync(registry.Repository("library/plain"), "again", bytes, MediaTypes.DockerManifest, CancellationToken.None);

        Assert.Equal(registry.Docker.Digest, digest);
        Assert.Equal(digest, await Skopeo.RawDigestAsync(registry.Server.Host, "library/plain:again"));
    }
}
