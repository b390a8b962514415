using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lading.Images;

namespace Lading.Tests.Fixtures;

/// <summary>An image made by a test: its top manifest and every piece of content it consists of.</summary>
public sealed record TestImage(Descriptor Manifest, IReadOnlyDictionary<Digest, byte[]> Content)
{
    public byte[] ManifestBytes => Content[Manifest.Digest];
}

/// <summary>
/// Makes small real images (gzip tar layers of random bytes, a config with matching diff_ids, docker v2 or OCI
/// manifests, OCI indexes) and keeps every blob in memory, optionally also putting them in a store.
/// </summary>
public sealed class TestImageFactory(IBlobStore? store = null)
{
    private readonly Dictionary<Digest, byte[]> content = new();

    public IReadOnlyDictionary<Digest, byte[]> Content => content;

    /// <summary>A gzip-compressed tar layer holding one file of random bytes; returns the descriptor and the diff_id.</summary>
    public async Task<(Descriptor Layer, Digest DiffId)> LayerAsync(int randomBytes, string mediaType)
    {
        var (gzip, diffId) = await TestLayers.RandomAsync(randomBytes);
        return (await AddAsync(gzip, mediaType), diffId);
    }

    /// <summary>A docker v2 image (schema 2) of the given layer sizes.</summary>
    public Task<TestImage> DockerImageAsync(Platform platform, params int[] layerSizes) =>
        ImageAsync(MediaTypes.DockerManifest, TestLayers.DockerConfig, TestLayers.DockerLayer, platform, layerSizes, []);

    /// <summary>An OCI image; <paramref name="sharedLayers"/> come first, as a common base image's would.</summary>
    public Task<TestImage> OciImageAsync(Platform platform, int[] layerSizes, params (Descriptor Layer, Digest DiffId)[] sharedLayers) =>
        ImageAsync(MediaTypes.OciManifest, TestLayers.OciConfig, TestLayers.OciLayer, platform, layerSizes, sharedLayers);

    /// <summary>An OCI index over the given images, each with its platform.</summary>
    public async Task<TestImage> OciIndexAsync(params (TestImage Image, Platform Platform)[] images)
    {
        var manifests = new JsonArray();
        foreach (var (image, platform) in images)
        {
            var entry = Describe(image.Manifest);
            var platformNode = new JsonObject { ["architecture"] = platform.Architecture, ["os"] = platform.Os };
            if (platform.Variant is not null)
            {
                platformNode["variant"] = platform.Variant;
            }

            entry["platform"] = platformNode;
            manifests.Add(entry);
        }

        var index = new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = MediaTypes.OciIndex, ["manifests"] = manifests };
        var descriptor = await AddAsync(Encoding.UTF8.GetBytes(index.ToJsonString()), MediaTypes.OciIndex);
        return new TestImage(descriptor, content);
    }

    private async Task<TestImage> ImageAsync(
        string manifestType, string configType, string layerType, Platform platform, int[] layerSizes, (Descriptor Layer, Digest DiffId)[] shared)
    {
        var layers = shared.ToList();
        foreach (var size in layerSizes)
        {
            layers.Add(await LayerAsync(size, layerType));
        }

        var configDescriptor = await AddAsync(TestLayers.Config(platform, layers.Select(l => l.DiffId)), configType);
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = manifestType,
            ["config"] = Describe(configDescriptor),
            ["layers"] = new JsonArray(layers.Select(l => (JsonNode)Describe(l.Layer)).ToArray()),
        };
        var manifestDescriptor = await AddAsync(Encoding.UTF8.GetBytes(manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true })), manifestType);
        return new TestImage(manifestDescriptor, content);
    }

    private static JsonObject Describe(Descriptor descriptor) => new()
    {
        ["mediaType"] = descriptor.MediaType,
        ["digest"] = descriptor.Digest.ToString(),
        ["size"] = descriptor.Size,
    };

    private async Task<Descriptor> AddAsync(byte[] bytes, string mediaType)
    {
        var digest = Digest.Of(bytes);
        content[digest] = bytes;
        if (store is not null)
        {
            await store.PutAsync(digest, new MemoryStream(bytes), bytes.Length, CancellationToken.None);
        }

        return new Descriptor(mediaType, digest, bytes.Length);
    }
}
