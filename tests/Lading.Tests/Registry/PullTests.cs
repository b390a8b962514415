using Lading.Images;
using Lading.Images.Registry;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Registry;

public sealed class PullTests(PopulatedRegistry registry) : IClassFixture<PopulatedRegistry>, IDisposable
{
    private readonly TempFolder _folder = new("lading-pull");

    public void Dispose() => _folder.Dispose();

    [SkippableTheory]
    [InlineData("library/plain:1.0")]
    [InlineData("library/oci:2.0")]
    [InlineData("release/multi:3.1")]
    public async Task Pulled_manifest_has_the_digest_skopeo_reports(string image)
    {
        var (path, tag) = Split(image);
        var store = Store();
        using var client = new RegistryClient(PopulatedRegistry.FastOptions());

        var pulled = await client.PullAsync(registry.Repository(path), tag, store, PlatformSelection.All, CancellationToken.None);

        var skopeo = await Skopeo.RawDigestAsync(registry.Server.Host, image);
        Assert.Equal(skopeo, pulled.Top.Digest);
        Assert.Equal(skopeo, Digest.Of(store.Read(pulled.Top.Digest)));
        Assert.Equal(skopeo, await client.ResolveAsync(registry.Repository(path), tag, CancellationToken.None));
    }

    [SkippableFact]
    public async Task Docker_v2_image_keeps_its_media_type_and_every_blob()
    {
        var store = Store();
        using var client = new RegistryClient(PopulatedRegistry.FastOptions());

        var pulled = await client.PullAsync(registry.Repository("library/plain"), "1.0", store, PlatformSelection.Parse("linux/amd64"), CancellationToken.None);

        Assert.Equal(MediaTypes.DockerManifest, pulled.Top.MediaType);
        Assert.Equal(registry.Docker.Digest, pulled.Top.Digest);
        Assert.All(registry.Docker.Blobs, b => Assert.True(store.Contains(b), $"{b} missing"));
        Assert.Equal(4, pulled.BlobsFetched);
        Assert.Equal(registry.Docker.Blobs.Sum(b => registry.Source.Read(b).LongLength), pulled.BytesFetched);
    }

    [SkippableFact]
    public async Task Second_pull_of_an_image_sharing_base_layers_fetches_only_what_is_new()
    {
        var store = Store();
        using var client = new RegistryClient(PopulatedRegistry.FastOptions());

        await client.PullAsync(registry.Repository("library/plain"), "1.0", store, PlatformSelection.All, CancellationToken.None);
        var oci = await client.PullAsync(registry.Repository("library/oci"), "2.0", store, PlatformSelection.All, CancellationToken.None);

        Assert.Equal(MediaTypes.OciManifest, oci.Top.MediaType);
        Assert.Equal(2, oci.BlobsFetched);
        Assert.Equal(2, oci.BlobsReused);
        Assert.All(registry.Oci.Blobs, b => Assert.True(store.Contains(b)));
    }

    [SkippableFact]
    public async Task Images_pulled_side_by_side_download_their_shared_layers_once()
    {
        var store = Store();
        await using var proxy = new RegistryProxy(registry.Server.Host, async (context, seen) =>
        {
            // Slow blobs make both pulls ask for the shared layers while the first download still runs.
            if (seen.PathAndQuery.Contains("/blobs/"))
            {
                await Task.Delay(300);
            }

            return false;
        });
        using var client = new RegistryClient(PopulatedRegistry.FastOptions());

        var pulled = await Task.WhenAll(
            client.PullAsync(new RegistryRepository(proxy.Host, "library/plain"), "1.0", store, PlatformSelection.All, CancellationToken.None),
            client.PullAsync(new RegistryRepository(proxy.Host, "library/oci"), "2.0", store, PlatformSelection.All, CancellationToken.None));

        var blobGets = proxy.Requests.Where(r => r.Method == "GET" && r.PathAndQuery.Contains("/blobs/")).Select(r => r.PathAndQuery.Split('/').Last()).ToArray();
        Assert.Equal(blobGets.Distinct().Count(), blobGets.Length);
        Assert.Equal(6, blobGets.Length);
        Assert.Equal(6, pulled.Sum(p => p.BlobsFetched));
        Assert.Equal(2, pulled.Sum(p => p.BlobsReused));
    }

    [SkippableFact]
    public async Task Index_with_all_platforms_brings_every_platform_manifest()
    {
        var store = Store();
        using var client = new RegistryClient(PopulatedRegistry.FastOptions());

        var pulled = await client.PullAsync(registry.Repository("release/multi"), "3.1", store, PlatformSelection.All, CancellationToken.None);

        Assert.Equal(MediaTypes.OciIndex, pulled.Top.MediaType);
        Assert.Equal([registry.MultiAmd64.Digest, registry.MultiArm64.Digest], pulled.Manifests.Select(m => m.Descriptor.Digest));
        Assert.All(registry.Multi.Manifests.Concat(registry.Multi.Blobs), d => Assert.True(store.Contains(d)));
        var served = ImageManifest.Parse(await Skopeo.InspectRawAsync(registry.Server.Host, "release/multi:3.1"), null);
        Assert.Equal(served.Manifests.Select(m => m.Digest), pulled.Manifests.Select(m => m.Descriptor.Digest));
        foreach (var manifest in pulled.Manifests)
        {
            Assert.Equal(await Skopeo.RawDigestAsync(registry.Server.Host, $"release/multi@{manifest.Descriptor.Digest}"), Digest.Of(store.Read(manifest.Descriptor.Digest)));
        }
    }

    [SkippableFact]
    public async Task Index_with_one_platform_brings_only_that_platform()
    {
        var store = Store();
        var log = new LogLines();
        using var client = new RegistryClient(PopulatedRegistry.FastOptions(log.Add));

        var pulled = await client.PullAsync(registry.Repository("release/multi"), "3.1", store, PlatformSelection.Parse("linux/arm64/v8,linux/s390x"), CancellationToken.None);

        var only = Assert.Single(pulled.Manifests);
        Assert.Equal(registry.MultiArm64.Digest, only.Descriptor.Digest);
        Assert.Equal(new Platform("linux", "arm64", "v8"), only.Descriptor.Platform);
        Assert.True(store.Contains(registry.Multi.Digest));
        Assert.False(store.Contains(registry.MultiAmd64.Digest));
        Assert.All(registry.MultiArm64.Blobs, b => Assert.True(store.Contains(b)));
        Assert.Contains(log.Lines, l => l.Contains("linux/s390x") && l.Contains("release/multi:3.1"));
    }

    [SkippableFact]
    public async Task Index_without_any_wanted_platform_is_a_clear_error()
    {
        using var client = new RegistryClient(PopulatedRegistry.FastOptions());

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            client.PullAsync(registry.Repository("release/multi"), "3.1", Store(), PlatformSelection.Parse("linux/s390x"), CancellationToken.None));

        Assert.Equal($"release/multi:3.1 in {registry.Server.Host} has no image for linux/s390x (it offers linux/amd64, linux/arm64/v8).", error.Message);
    }

    [SkippableFact]
    public async Task Missing_tag_names_the_image_the_registry_and_the_registry_error()
    {
        using var client = new RegistryClient(PopulatedRegistry.FastOptions());

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            client.PullAsync(registry.Repository("library/plain"), "9.9", Store(), PlatformSelection.All, CancellationToken.None));

        Assert.Equal($"library/plain:9.9 was not found in {registry.Server.Host} (404 MANIFEST_UNKNOWN).", error.Message);
        Assert.True(error.IsNotFound);
        Assert.Equal(registry.Server.Host, error.Registry);
        Assert.Equal("library/plain:9.9", error.Subject);
    }

    [SkippableFact]
    public async Task Head_answers_null_for_a_missing_image_and_the_digest_for_a_present_one()
    {
        using var client = new RegistryClient(PopulatedRegistry.FastOptions());

        Assert.Null(await client.TryHeadManifestAsync(registry.Repository("library/nothing"), "1.0", CancellationToken.None));
        var head = await client.TryHeadManifestAsync(registry.Repository("library/oci"), "2.0", CancellationToken.None);

        Assert.Equal(registry.Oci.Digest, head!.Digest);
        Assert.Equal(MediaTypes.OciManifest, head.MediaType);
    }

    [SkippableFact]
    public async Task Manifests_already_in_the_store_are_not_fetched_again()
    {
        var store = Store();
        await using var proxy = new RegistryProxy(registry.Server.Host);
        using var client = new RegistryClient(PopulatedRegistry.FastOptions());
        var repository = new RegistryRepository(proxy.Host, "release/multi");

        await client.PullAsync(repository, "3.1", store, PlatformSelection.All, CancellationToken.None);
        var first = proxy.Requests.Count;
        var again = await client.PullAsync(repository, "3.1", store, PlatformSelection.All, CancellationToken.None);

        var second = proxy.Requests.Skip(first).ToArray();
        var only = Assert.Single(second);
        Assert.Equal("HEAD", only.Method);
        Assert.Equal(0, again.BlobsFetched);
        Assert.All(proxy.Requests.Where(r => r.PathAndQuery.Contains("/manifests/")), r =>
            Assert.Equal(string.Join(", ", MediaTypes.Accept), r.Accept));
    }

    [SkippableFact]
    public async Task Image_pinned_by_digest_and_already_stored_needs_no_request()
    {
        var store = Store();
        await using var proxy = new RegistryProxy(registry.Server.Host);
        using var client = new RegistryClient(PopulatedRegistry.FastOptions());
        var image = ImageReference.Parse($"{proxy.Host}/release/multi:3.1@{registry.Multi.Digest}");

        await client.PullAsync(image, store, PlatformSelection.All, CancellationToken.None);
        var first = proxy.Requests.Count;
        var again = await client.PullAsync(image, store, PlatformSelection.All, CancellationToken.None);

        Assert.Equal(first, proxy.Requests.Count);
        Assert.Equal(MediaTypes.OciIndex, again.Top.MediaType);
        Assert.Equal(2, again.Manifests.Count);
        Assert.Equal(0, again.BlobsFetched);
    }

    [SkippableFact]
    public async Task Pull_into_the_content_store_leaves_a_complete_stored_image()
    {
        var store = new ContentStore(_folder.Combine("cache"));
        using var client = new RegistryClient(PopulatedRegistry.FastOptions());

        var pulled = await client.PullAsync(ImageReference.Parse($"{registry.Server.Host}/release/multi:3.1"), store, PlatformSelection.Parse("linux/amd64"), CancellationToken.None);
        var stored = await StoredImage.ResolveAsync(store, pulled.Top.Digest, CancellationToken.None);

        Assert.Equal([registry.Multi.Digest, registry.MultiAmd64.Digest], stored.Manifests.Select(m => m.Descriptor.Digest));
        Assert.Equal(registry.MultiAmd64.Blobs, stored.Blobs.Select(b => b.Digest));
        Assert.Equal(registry.MultiArm64.Digest, Assert.Single(stored.AbsentPlatforms).Digest);
    }

    private FolderBlobStore Store() => new(_folder.Combine(Guid.NewGuid().ToString("N")));

    private static (string Path, string Tag) Split(string image) => (image[..image.LastIndexOf(':')], image[(image.LastIndexOf(':') + 1)..]);
}
