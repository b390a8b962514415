using Lading.Packaging;

namespace Lading.Tests.Packaging;

public sealed class PackageDiffTests
{
    private static PackageManifest Manifest(string version, (string Name, string Version, long Size)[] charts, (string Name, string Digest, long Bytes)[] images) => new()
    {
        Name = "platform",
        Kind = "platform",
        Version = version,
        Built = DateTimeOffset.UnixEpoch,
        Charts = charts.Select(c => new PackagedChartEntry(c.Name, c.Version, $"charts/{c.Name}-{c.Version}.tgz", new string('a', 64))).ToList(),
        Files = charts.Select(c => new PackagedFile($"charts/{c.Name}-{c.Version}.tgz", c.Size, new string('a', 64))).ToList(),
        Images = images.Select(i => new PackagedImageEntry(i.Name, i.Digest, "application/vnd.oci.image.manifest.v1+json", 555, "oci:x") { Bytes = i.Bytes }).ToList(),
    };

    [Fact]
    public void Changed_charts_and_images_show_their_sizes_before_and_after_and_an_image_weighs_its_blobs()
    {
        var before = Manifest("v1.0.0", [("gateway", "v1.0.0", 2048), ("old", "v0.1.0", 100)], [("library/nginx:1.25", "sha256:1111111111111111111111", 3L << 20), ("release/api:v1", "sha256:2222222222222222222222", 10L << 20)]);
        var after = Manifest("v1.0.1", [("gateway", "v1.0.1", 3072), ("cache", "v7.2.4", 657)], [("library/nginx:1.25", "sha256:3333333333333333333333", 5L << 20), ("release/api:v1", "sha256:2222222222222222222222", 10L << 20)]);

        var markdown = PackageDiff.Compare(before, after).ToMarkdown();

        Assert.Contains("| changed | gateway | v1.0.0 | v1.0.1 | 2.0 KiB → 3.0 KiB |", markdown);
        Assert.Contains("| added | cache |  | v7.2.4 | 657 B |", markdown);
        Assert.Contains("| removed | old | v0.1.0 |  | -100 B |", markdown);
        Assert.Contains("| changed | library/nginx:1.25 | sha256:111111111111 | sha256:333333333333 | 3.0 MiB → 5.0 MiB |", markdown);
        Assert.DoesNotContain("release/api", markdown);
    }
}
