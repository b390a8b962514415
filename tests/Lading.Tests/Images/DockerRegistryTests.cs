using Lading.Images;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Images;

public class DockerRegistryTests : IDisposable
{
    private readonly TempFolder temp = new("lading-registry");

    public void Dispose() => temp.Dispose();

    [SkippableFact]
    public async Task A_writable_registry_takes_a_pushed_image_and_serves_it_with_the_same_digest()
    {
        var (layout, image) = await LayoutWithImageAsync();
        using var registry = await DockerRegistry.StartAsync(temp.Combine("registry"), readOnly: false);

        await Skopeo.RunAsync("copy", "--all", "--preserve-digests", "--dest-tls-verify=false", $"oci:{layout}:release/app:v1", $"docker://{registry.Host}/release/app:v1");

        var raw = await Skopeo.RawManifestAsync($"docker://{registry.Host}/release/app:v1", "--tls-verify=false");
        Assert.Equal(image.Manifest.Digest, Digest.Of(System.Text.Encoding.UTF8.GetBytes(raw)));
    }

    [SkippableFact]
    public async Task With_basic_auth_only_the_user_gets_in()
    {
        var (layout, image) = await LayoutWithImageAsync();
        using var registry = await DockerRegistry.StartAsync(temp.Combine("registry"), readOnly: false, basicAuth: ("builder", "s3cret"));
        await Skopeo.RunAsync("copy", "--preserve-digests", "--dest-tls-verify=false", "--dest-creds=builder:s3cret", $"oci:{layout}:release/app:v1", $"docker://{registry.Host}/release/app:v1");

        var anonymous = await Assert.ThrowsAsync<InvalidOperationException>(() => Skopeo.RawManifestAsync($"docker://{registry.Host}/release/app:v1", "--tls-verify=false"));
        var wrong = await Assert.ThrowsAsync<InvalidOperationException>(() => Skopeo.RawManifestAsync($"docker://{registry.Host}/release/app:v1", "--tls-verify=false", "--creds=builder:wrong"));
        var raw = await Skopeo.RawManifestAsync($"docker://{registry.Host}/release/app:v1", "--tls-verify=false", "--creds=builder:s3cret");

        Assert.Contains("unauthorized", anonymous.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("unauthorized", wrong.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(image.Manifest.Digest, Digest.Of(System.Text.Encoding.UTF8.GetBytes(raw)));
    }

    private async Task<(string Layout, TestImage Image)> LayoutWithImageAsync()
    {
        Requires.Tool("skopeo", "skopeo");
        var store = new ContentStore(temp.Combine("store"));
        var image = await new TestImageFactory(store).OciImageAsync(new Platform("linux", "amd64"), [2000, 3000]);
        var layout = temp.Combine("layout");
        await new OciLayoutWriter(store, layout).WriteAsync([new LayoutImage("release/app", "v1", image.Manifest.Digest)], CancellationToken.None);
        return (layout, image);
    }
}
