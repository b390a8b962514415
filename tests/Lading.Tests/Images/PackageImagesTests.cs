using Lading.Images;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Images;

public class PackageImagesTests : IDisposable
{
    private readonly TempFolder temp = new("lading-package-images");

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("registry", ImageLayoutKind.Registry)]
    [InlineData("OCI", ImageLayoutKind.Oci)]
    [InlineData(" both ", ImageLayoutKind.Both)]
    public void The_layout_option_reads_registry_oci_or_both(string text, ImageLayoutKind kind)
    {
        Assert.Equal(kind, PackageImages.ParseLayout(text));
    }

    [Fact]
    public void An_unknown_layout_is_refused_with_the_choices()
    {
        var error = Assert.Throws<ImageLayoutException>(() => PackageImages.ParseLayout("dir"));

        Assert.Equal("'dir' is not an image layout: use registry, oci or both.", error.Message);
    }

    [Fact]
    public async Task Only_the_chosen_layouts_are_written()
    {
        var store = new ContentStore(temp.Combine("store"));
        var image = await new TestImageFactory(store).OciImageAsync(new Platform("linux", "amd64"), [100]);
        LayoutImage[] images = [new("release/app", "v1", image.Manifest.Digest)];

        var both = await PackageImages.WriteAsync(store, temp.Combine("both"), ImageLayoutKind.Both, images, CancellationToken.None);
        var registryOnly = await PackageImages.WriteAsync(store, temp.Combine("registry-only"), ImageLayoutKind.Registry, images, CancellationToken.None);

        Assert.Equal([ImageLayoutKind.Registry, ImageLayoutKind.Oci], both.Keys.Order());
        Assert.Equal(3, both[ImageLayoutKind.Oci].Linked);
        Assert.True(File.Exists(temp.Combine("both", "oci", "index.json")));
        Assert.True(Directory.Exists(temp.Combine("both", "registry", "docker", "registry", "v2", "repositories", "release", "app")));
        Assert.Equal(["registry"], Directory.GetDirectories(temp.Combine("registry-only")).Select(Path.GetFileName));
        Assert.Equal([ImageLayoutKind.Registry], registryOnly.Keys);
    }
}
