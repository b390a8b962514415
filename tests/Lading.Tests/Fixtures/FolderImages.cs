using System.Text;
using Lading.Images;

namespace Lading.Tests.Fixtures;

/// <summary>A layer held in a folder store: its gzip tar bytes' digest and size, and the digest of the uncompressed tar.</summary>
public sealed record FolderLayer(Digest Digest, long Size, Digest DiffId);

/// <summary>An image held in a folder store: the top manifest (or list) and everything it names.</summary>
public sealed record FolderImage(Digest Digest, string MediaType, IReadOnlyList<Digest> Manifests, IReadOnlyList<Digest> Blobs);

/// <summary>
/// Builds real-looking images (random gzip tar layers, config, manifests, lists) straight into a folder store, to push
/// through the registry client; <see cref="TestImageFactory"/> is the in-memory builder for the layout and tree writers.
/// </summary>
public sealed class FolderImages(FolderBlobStore store)
{
    public FolderBlobStore Store => store;

    public async Task<FolderLayer> LayerAsync(int randomBytes)
    {
        var (gzip, diffId) = await TestLayers.RandomAsync(randomBytes);
        return new FolderLayer(await store.PutAsync(gzip), gzip.Length, diffId);
    }

    public Task<FolderImage> DockerImageAsync(string architecture, params FolderLayer[] layers) =>
        ImageAsync(MediaTypes.DockerManifest, TestLayers.DockerConfig, TestLayers.DockerLayer, architecture, null, layers);

    public Task<FolderImage> OciImageAsync(string architecture, string? variant, params FolderLayer[] layers) =>
        ImageAsync(MediaTypes.OciManifest, TestLayers.OciConfig, TestLayers.OciLayer, architecture, variant, layers);

    public async Task<FolderImage> OciIndexAsync(params (FolderImage Image, string Architecture, string? Variant)[] images)
    {
        var entries = images.Select(i =>
        {
            var size = store.Read(i.Image.Digest).Length;
            var variant = i.Variant is null ? string.Empty : $",\"variant\":\"{i.Variant}\"";
            return $"{{\"mediaType\":\"{i.Image.MediaType}\",\"digest\":\"{i.Image.Digest}\",\"size\":{size},\"platform\":{{\"architecture\":\"{i.Architecture}\",\"os\":\"linux\"{variant}}}}}";
        });
        var json = $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciIndex}\",\"manifests\":[{string.Join(',', entries)}]}}";
        var digest = await store.PutAsync(Encoding.UTF8.GetBytes(json));
        return new FolderImage(
            digest,
            MediaTypes.OciIndex,
            [digest, .. images.SelectMany(i => i.Image.Manifests)],
            images.SelectMany(i => i.Image.Blobs).Distinct().ToArray());
    }

    private async Task<FolderImage> ImageAsync(string manifestType, string configType, string layerType, string architecture, string? variant, FolderLayer[] layers)
    {
        var configBytes = TestLayers.Config(new Platform("linux", architecture, variant), layers.Select(l => l.DiffId));
        var configDigest = await store.PutAsync(configBytes);
        var layerEntries = string.Join(',', layers.Select(l => $"{{\"mediaType\":\"{layerType}\",\"size\":{l.Size},\"digest\":\"{l.Digest}\"}}"));
        var manifest = $"{{\"schemaVersion\":2,\"mediaType\":\"{manifestType}\",\"config\":{{\"mediaType\":\"{configType}\",\"size\":{configBytes.Length},\"digest\":\"{configDigest}\"}},\"layers\":[{layerEntries}]}}";
        var digest = await store.PutAsync(Encoding.UTF8.GetBytes(manifest));
        return new FolderImage(digest, manifestType, [digest], [configDigest, .. layers.Select(l => l.Digest)]);
    }
}
