using Lading.Images;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Images;

public class OciLayoutSourceTests : IDisposable
{
    private static readonly Platform Amd64 = new("linux", "amd64");
    private static readonly Platform Arm64 = new("linux", "arm64");

    private readonly TempFolder temp = new("lading-oci-source");
    private readonly ContentStore origin;
    private readonly ContentStore store;
    private readonly TestImageFactory images;

    public OciLayoutSourceTests()
    {
        origin = new ContentStore(temp.Combine("origin"));
        store = new ContentStore(temp.Combine("store"));
        images = new TestImageFactory(origin);
    }

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task An_image_is_copied_into_the_store_by_its_ref_name_with_every_blob()
    {
        var multi = await MultiAsync();
        var layout = await LayoutAsync(("library/multi:2.0", multi));

        var top = await OciLayoutSource.Open(layout).ImportAsync("library/multi:2.0", store, null, CancellationToken.None);

        Assert.Equal(multi.Manifest.Digest, top.Digest);
        Assert.Equal(MediaTypes.OciIndex, top.MediaType);
        var stored = await StoredImage.ResolveAsync(store, top.Digest, CancellationToken.None);
        Assert.Empty(stored.AbsentPlatforms);
        Assert.Equal(multi.Content.Keys.Select(d => d.Hex).Order(), store.List().Select(d => d.Hex).Order());
    }

    [Fact]
    public async Task Only_the_selected_platforms_of_an_index_are_copied()
    {
        var multi = await MultiAsync();
        var layout = await LayoutAsync(("library/multi:2.0", multi));

        await OciLayoutSource.Open(layout).ImportAsync("library/multi:2.0", store, p => p?.Architecture == "amd64", CancellationToken.None);

        var stored = await StoredImage.ResolveAsync(store, multi.Manifest.Digest, CancellationToken.None);
        Assert.Equal(["linux/arm64"], stored.AbsentPlatforms.Select(p => p.Platform!.ToString()));
        Assert.Equal(2, stored.Manifests.Count);
    }

    [Fact]
    public async Task A_platform_the_index_lacks_is_an_error_naming_what_it_has()
    {
        var layout = await LayoutAsync(("library/multi:2.0", await MultiAsync()));

        var error = await Assert.ThrowsAsync<OciLayoutException>(() =>
            OciLayoutSource.Open(layout).ImportAsync("library/multi:2.0", store, p => p?.Architecture == "s390x", CancellationToken.None));

        Assert.Contains("has none of the selected platforms (it has: linux/amd64, linux/arm64)", error.Message);
    }

    [Fact]
    public async Task An_unknown_ref_name_is_an_error_listing_the_names_there()
    {
        var image = await images.OciImageAsync(Amd64, [100]);
        var layout = await LayoutAsync(("release/a:1", image), ("release/b:2", image));

        var error = await Assert.ThrowsAsync<OciLayoutException>(() => OciLayoutSource.Open(layout).ImportAsync("release/c:1", store, null, CancellationToken.None));

        Assert.Equal($"OCI layout {layout}: it has no image named 'release/c:1' (it has: release/a:1, release/b:2).", error.Message);
    }

    [Fact]
    public async Task A_ref_name_matches_its_other_spellings()
    {
        var image = await images.OciImageAsync(Amd64, [100]);
        var layout = await LayoutAsync(("library/nginx:1.25.3", image));
        var source = OciLayoutSource.Open(layout);

        Assert.Equal(image.Manifest.Digest, source.Find("nginx:1.25.3")?.Digest);
        Assert.Equal(image.Manifest.Digest, source.Find("docker.io/library/nginx:1.25.3")?.Digest);
        Assert.Null(source.Find("nginx:1.25.4"));
    }

    [Fact]
    public async Task A_corrupt_blob_in_the_layout_is_refused_and_not_stored()
    {
        var image = await images.OciImageAsync(Amd64, [5000]);
        var layout = await LayoutAsync(("release/a:1", image));
        var layer = ImageManifest.Parse(image.ManifestBytes).Layers[0].Digest;
        var path = Path.Combine(layout, "blobs", "sha256", layer.Hex);
        File.Delete(path);
        File.WriteAllBytes(path, new byte[5000]);

        var error = await Assert.ThrowsAsync<OciLayoutException>(() => OciLayoutSource.Open(layout).ImportAsync("release/a:1", store, null, CancellationToken.None));

        Assert.Contains($"blob {layer} is corrupt", error.Message);
        Assert.False(store.Contains(layer));
    }

    [Fact]
    public void A_folder_that_is_not_a_layout_is_an_error()
    {
        var error = Assert.Throws<OciLayoutException>(() => OciLayoutSource.Open(temp.Path));

        Assert.Contains("not an OCI image layout", error.Message);
    }

    [SkippableFact]
    public async Task A_layout_written_by_skopeo_is_read()
    {
        Requires.Tool("skopeo", "skopeo");
        var multi = await MultiAsync();
        var ours = await LayoutAsync(("library/multi:2.0", multi));
        var theirs = temp.Combine("by-skopeo");
        await Skopeo.RunAsync("copy", "--all", "--preserve-digests", $"oci:{ours}:library/multi:2.0", $"oci:{theirs}:multi");

        var top = await OciLayoutSource.Open(theirs).ImportAsync("multi", store, null, CancellationToken.None);

        Assert.Equal(multi.Manifest.Digest, top.Digest);
        Assert.Empty((await StoredImage.ResolveAsync(store, top.Digest, CancellationToken.None)).AbsentPlatforms);
    }

    [Fact]
    public async Task A_blob_linked_to_a_device_or_outside_the_layout_is_refused()
    {
        var image = await images.OciImageAsync(Amd64, [100]);
        var layout = await LayoutAsync(("release/a:1", image));
        var layer = image.Content.Keys.First(d => d != image.Manifest.Digest && File.Exists(Path.Combine(layout, "blobs", "sha256", d.Hex)) && image.Content[d].Length > 100);
        var blob = Path.Combine(layout, "blobs", "sha256", layer.Hex);
        File.Delete(blob);
        File.CreateSymbolicLink(blob, "/dev/zero");

        var error = await Assert.ThrowsAsync<OciLayoutException>(() => OciLayoutSource.Open(layout).ImportAsync("release/a:1", store, null, CancellationToken.None));

        Assert.Equal($"OCI layout {layout}: blobs/sha256/{layer.Hex} in {layout}: blobs/sha256/{layer.Hex} is a symbolic link to '/dev/zero', outside the folder; refused.", error.Message);
        Assert.False(store.Contains(layer));
    }

    [Fact]
    public async Task An_index_json_linked_outside_the_layout_is_refused()
    {
        var layout = await LayoutAsync(("release/a:1", await images.OciImageAsync(Amd64, [100])));
        File.Delete(Path.Combine(layout, "index.json"));
        File.CreateSymbolicLink(Path.Combine(layout, "index.json"), "/dev/zero");

        var error = Assert.Throws<OciLayoutException>(() => OciLayoutSource.Open(layout));

        Assert.Contains("index.json is a symbolic link to '/dev/zero', outside the folder; refused", error.Message);
    }

    private async Task<TestImage> MultiAsync()
    {
        var amd = await images.OciImageAsync(Amd64, [1000]);
        var arm = await images.OciImageAsync(Arm64, [1200]);
        return await images.OciIndexAsync((amd, Amd64), (arm, Arm64));
    }

    private async Task<string> LayoutAsync(params (string Name, TestImage Image)[] entries)
    {
        var layout = temp.Combine("layout");
        var list = entries.Select(e => LayoutImage.From(ImageReference.Parse(e.Name), e.Image.Manifest.Digest));
        await new OciLayoutWriter(origin, layout).WriteAsync(list, CancellationToken.None);
        return layout;
    }
}
