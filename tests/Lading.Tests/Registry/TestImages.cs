using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Lading.Images;

namespace Lading.Tests.Registry;

/// <summary>A layer made by a test: its gzip tar bytes' digest and size, and the digest of the uncompressed tar.</summary>
public sealed record TestLayer(Digest Digest, long Size, Digest DiffId);

/// <summary>An image made by a test and held in a store: the top manifest (or list) and everything it names.</summary>
public sealed record TestImage(Digest Digest, string MediaType, IReadOnlyList<Digest> Manifests, IReadOnlyList<Digest> Blobs);

/// <summary>Builds real-looking images (random gzip tar layers, config, manifests, lists) into a store, to push through the client.</summary>
public sealed class TestImages(FolderBlobStore store)
{
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayer = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar+gzip";

    public FolderBlobStore Store => store;

    public async Task<TestLayer> LayerAsync(int randomBytes)
    {
        var content = RandomNumberGenerator.GetBytes(randomBytes);
        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, $"data/{Convert.ToHexStringLower(content.AsSpan(0, 4))}.bin")
            {
                DataStream = new MemoryStream(content),
                ModificationTime = DateTimeOffset.UnixEpoch,
            };
            await writer.WriteEntryAsync(entry);
        }

        var tarBytes = tar.ToArray();
        using var gz = new MemoryStream();
        await using (var gzip = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(tarBytes);
        }

        var bytes = gz.ToArray();
        return new TestLayer(await store.PutAsync(bytes), bytes.Length, Digest.Of(tarBytes));
    }

    public Task<TestImage> DockerImageAsync(string architecture, params TestLayer[] layers) =>
        ImageAsync(MediaTypes.DockerManifest, DockerConfig, DockerLayer, architecture, null, layers);

    public Task<TestImage> OciImageAsync(string architecture, string? variant, params TestLayer[] layers) =>
        ImageAsync(MediaTypes.OciManifest, OciConfig, OciLayer, architecture, variant, layers);

    public async Task<TestImage> OciIndexAsync(params (TestImage Image, string Architecture, string? Variant)[] images)
    {
        var entries = images.Select(i =>
        {
            var size = store.Read(i.Image.Digest).Length;
            var variant = i.Variant is null ? string.Empty : $",\"variant\":\"{i.Variant}\"";
            return $"{{\"mediaType\":\"{i.Image.MediaType}\",\"digest\":\"{i.Image.Digest}\",\"size\":{size},\"platform\":{{\"architecture\":\"{i.Architecture}\",\"os\":\"linux\"{variant}}}}}";
        });
        var json = $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciIndex}\",\"manifests\":[{string.Join(',', entries)}]}}";
        var digest = await store.PutAsync(Encoding.UTF8.GetBytes(json));
        return new TestImage(
            digest,
            MediaTypes.OciIndex,
            [digest, .. images.SelectMany(i => i.Image.Manifests)],
            images.SelectMany(i => i.Image.Blobs).Distinct().ToArray());
    }

    private async Task<TestImage> ImageAsync(string manifestType, string configType, string layerType, string architecture, string? variant, TestLayer[] layers)
    {
        var diffIds = string.Join(',', layers.Select(l => $"\"{l.DiffId}\""));
        var variantField = variant is null ? string.Empty : $",\"variant\":\"{variant}\"";
        // A nonce keeps two otherwise equal test images apart.
        var config = $"{{\"architecture\":\"{architecture}\",\"os\":\"linux\"{variantField},\"config\":{{\"Labels\":{{\"nonce\":\"{Guid.NewGuid():N}\"}}}},\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[{diffIds}]}}}}";
        var configBytes = Encoding.UTF8.GetBytes(config);
        var configDigest = await store.PutAsync(configBytes);
        var layerEntries = string.Join(',', layers.Select(l => $"{{\"mediaType\":\"{layerType}\",\"size\":{l.Size},\"digest\":\"{l.Digest}\"}}"));
        var manifest = $"{{\"schemaVersion\":2,\"mediaType\":\"{manifestType}\",\"config\":{{\"mediaType\":\"{configType}\",\"size\":{configBytes.Length},\"digest\":\"{configDigest}\"}},\"layers\":[{layerEntries}]}}";
        var digest = await store.PutAsync(Encoding.UTF8.GetBytes(manifest));
        return new TestImage(digest, manifestType, [digest], [configDigest, .. layers.Select(l => l.Digest)]);
    }
}
