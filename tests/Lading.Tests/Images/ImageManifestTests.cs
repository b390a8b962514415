using System.Text;
using Lading.Images;

namespace Lading.Tests.Images;

public class ImageManifestTests
{
    private static readonly string A = "sha256:" + new string('a', 64);
    private static readonly string B = "sha256:" + new string('b', 64);
    private static readonly string C = "sha256:" + new string('c', 64);

    [Fact]
    public void A_docker_v2_manifest_gives_its_config_and_layers()
    {
        var manifest = Parse($$"""
            {"schemaVersion":2,"mediaType":"{{MediaTypes.DockerManifest}}",
             "config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"{{A}}","size":10},
             "layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":"{{B}}","size":20},
                       {"mediaType":"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip","digest":"{{C}}","size":30,"urls":["https://example.invalid/x"]}]}
            """);

        Assert.Equal(MediaTypes.DockerManifest, manifest.MediaType);
        Assert.False(manifest.IsIndex);
        Assert.Equal([A, B, C], manifest.Blobs.Select(b => b.Digest.ToString()));
        Assert.Equal(["https://example.invalid/x"], manifest.Layers[1].Urls!);
    }

    [Fact]
    public void An_index_gives_its_platform_manifests()
    {
        var index = Parse($$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.DockerManifestList}}}","manifests":[
              {"mediaType":"{{{MediaTypes.DockerManifest}}}","digest":"{{{A}}}","size":1,"platform":{"os":"linux","architecture":"amd64"}},
              {"mediaType":"{{{MediaTypes.DockerManifest}}}","digest":"{{{B}}}","size":2,"platform":{"os":"linux","architecture":"arm","variant":"v7"}}]}
            """);

        Assert.True(index.IsIndex);
        Assert.Empty(index.Blobs);
        Assert.Equal(["linux/amd64", "linux/arm/v7"], index.Manifests.Select(m => m.Platform!.ToString()));
    }

    [Fact]
    public void An_oci_manifest_without_media_type_is_told_apart_by_its_fields()
    {
        Assert.Equal(MediaTypes.OciIndex, Parse($$"""{"schemaVersion":2,"manifests":[]}""").MediaType);
        Assert.Equal(MediaTypes.OciManifest, Parse($$"""{"schemaVersion":2,"config":{"digest":"{{A}}","size":1},"layers":[]}""").MediaType);
    }

    [Fact]
    public void The_served_media_type_wins_over_the_body()
    {
        var manifest = ImageManifest.Parse(Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"config":{"digest":"{{A}}","size":1},"layers":[]}"""), MediaTypes.DockerManifest);

        Assert.Equal(MediaTypes.DockerManifest, manifest.MediaType);
    }

    [Theory]
    [InlineData("""{"schemaVersion":1,"name":"x","fsLayers":[]}""", "schema 1")]
    [InlineData("""not json""", "not valid JSON")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}""", "no config")]
    [InlineData("""{"schemaVersion":2,"config":{"digest":"md5:x","size":1},"layers":[]}""", "not a sha256 digest")]
    [InlineData("""{"schemaVersion":2,"config":{"digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},"layers":[]}""", "no valid size")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.cncf.helm.config.v1+json"}""", "not an image manifest")]
    public void Unusable_manifests_are_rejected_with_the_reason(string json, string reason)
    {
        var error = Assert.Throws<ManifestException>(() => Parse(json));

        Assert.Contains(reason, error.Message);
    }

    private static ImageManifest Parse(string json) => ImageManifest.Parse(Encoding.UTF8.GetBytes(json));
}
