using System.Text;
using Lading.Images;
using Lading.Images.Registry;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Registry;

public sealed class ForeignLayerTests
{
    [Fact]
    public async Task Foreign_layers_are_left_to_their_urls_and_not_asked_of_the_registry()
    {
        using var folder = new TempFolder("lading-foreign");
        var config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"windows"}""");
        var foreign = Digest.Of(Encoding.UTF8.GetBytes("windows base layer"));
        var manifest = Encoding.UTF8.GetBytes($$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.DockerManifest}}}",
             "config":{"mediaType":"{{{TestLayers.DockerConfig}}}","size":{{{config.Length}}},"digest":"{{{Digest.Of(config)}}}"},
             "layers":[{"mediaType":"application/vnd.docker.image.rootfs.foreign.diff.tar","size":18,"digest":"{{{foreign}}}","urls":["https://mcr.microsoft.com/layer"]}]}
            """);
        await using var fake = new RecordingHttpServer(async (context, seen) =>
        {
            var (body, type) = seen.PathAndQuery.Contains("/manifests/") ? (manifest, MediaTypes.DockerManifest)
                : seen.PathAndQuery.EndsWith(Digest.Of(config).ToString()) ? (config, "application/octet-stream")
                : (null, null);
            await RecordingHttpServer.WriteAsync(context, body is null ? 404 : 200, body, type, new Dictionary<string, string> { ["Docker-Content-Digest"] = Digest.Of(manifest).ToString() });
        });
        var store = new FolderBlobStore(folder.Combine("store"));
        using var client = new RegistryClient();

        var pulled = await client.PullAsync(new RegistryRepository(fake.Host, "windows/app"), "1.0", store, PlatformSelection.All, CancellationToken.None);

        Assert.Equal(1, pulled.BlobsFetched);
        Assert.True(store.Contains(Digest.Of(config)));
        Assert.DoesNotContain(fake.Requests, r => r.PathAndQuery.Contains(foreign.Hex));
    }
}
