using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lading.Images;

namespace Lading.Benchmark;

/// <summary>A generated image held in the store: its OCI manifest and the blobs it names (config first), with their sizes.</summary>
public sealed record GeneratedImage(string Repository, string Tag, string Manifest, IReadOnlyList<GeneratedBlob> Blobs)
{
    public string Name => $"{Repository}:{Tag}";
}

public sealed record GeneratedBlob(string Digest, long Size);

/// <summary>
/// The benchmark's images, generated once per size into a content store under the work folder and reused by later
/// runs; the bytes are random (seeded by layer name and size) so they do not compress and digests are stable.
/// </summary>
public sealed class GeneratedImages
{
    private const string IndexFile = "images.json";

    private GeneratedImages(ContentStore store, IReadOnlyList<GeneratedImage> images)
    {
        Store = store;
        Images = images;
    }

    public ContentStore Store { get; }

    public IReadOnlyList<GeneratedImage> Images { get; }

    /// <summary>Sum over images of their blobs: what a tool that stores each image alone writes.</summary>
    public long LogicalBytes => Images.Sum(i => i.Blobs.Sum(b => b.Size));

    /// <summary>Each blob once: what a content-addressed store writes.</summary>
    public long UniqueBytes => Images.SelectMany(i => i.Blobs).DistinctBy(b => b.Digest).Sum(b => b.Size);

    /// <summary>
    /// The images of <paramref name="options"/> under <paramref name="cacheRoot"/>: reused when complete, else generated.
    /// Sets of other sizes are removed, so the cache holds one set at most.
    /// </summary>
    public static async Task<GeneratedImages> EnsureAsync(string cacheRoot, BenchmarkOptions options, Action<string> log, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(cacheRoot, $"images-{options.Images}x{options.SizeMegabytes}mb");
        if (Directory.Exists(cacheRoot))
        {
            foreach (var other in Directory.GetDirectories(cacheRoot, "images-*").Where(d => d != folder))
            {
                Directory.Delete(other, recursive: true);
            }
        }

        var store = new ContentStore(Path.Combine(folder, "store"));
        var index = Path.Combine(folder, IndexFile);
        if (File.Exists(index) && JsonSerializer.Deserialize<List<GeneratedImage>>(await File.ReadAllTextAsync(index, cancellationToken)) is { } cached
            && cached.Count == options.Images
            && cached.All(i => store.Contains(Digest.Parse(i.Manifest)) && i.Blobs.All(b => store.Contains(Digest.Parse(b.Digest)))))
        {
            log($"Reusing the generated images in {folder}");
            return new GeneratedImages(store, cached);
        }

        log($"Generating {options.Images} image(s), {options.SizeMegabytes} MB in all, into {folder}");
        var plan = BenchmarkImageSet.Plan(options);
        var layers = new Dictionary<string, (GeneratedBlob Blob, Digest DiffId)>(StringComparer.Ordinal);
        var images = new List<GeneratedImage>();
        foreach (var image in plan)
        {
            foreach (var layer in image.Layers.Where(l => !layers.ContainsKey(l.Name)))
            {
                layers[layer.Name] = await LayerAsync(store, layer, cancellationToken);
            }

            images.Add(await ImageAsync(store, image, image.Layers.Select(l => layers[l.Name]).ToList(), cancellationToken));
        }

        // Written last: an index on disk means every blob it names is in the store.
        await File.WriteAllTextAsync(index, JsonSerializer.Serialize(images), cancellationToken);
        return new GeneratedImages(store, images);
    }

    private static async Task<(GeneratedBlob Blob, Digest DiffId)> LayerAsync(ContentStore store, BenchmarkLayer layer, CancellationToken cancellationToken)
    {
        var content = new byte[layer.Size];
        new Random(Seed($"{layer.Name}/{layer.Size}")).NextBytes(content);
        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, $"opt/{layer.Name}/data.bin")
            {
                DataStream = new MemoryStream(content, writable: false),
                ModificationTime = DateTimeOffset.UnixEpoch,
            }, cancellationToken);
        }

        var diffId = Digest.Of(tar.GetBuffer().AsSpan(0, (int)tar.Length));
        using var compressed = new MemoryStream();
        // Random bytes do not compress: stored deflate blocks make the gzip as fast to write as a copy.
        await using (var gzip = new GZipStream(compressed, CompressionLevel.NoCompression, leaveOpen: true))
        {
            tar.Position = 0;
            await tar.CopyToAsync(gzip, cancellationToken);
        }

        var digest = await store.PutAsync(compressed.GetBuffer().AsMemory(0, (int)compressed.Length), cancellationToken);
        return (new GeneratedBlob(digest.ToString(), compressed.Length), diffId);
    }

    private static async Task<GeneratedImage> ImageAsync(ContentStore store, BenchmarkImage image, IReadOnlyList<(GeneratedBlob Blob, Digest DiffId)> layers, CancellationToken cancellationToken)
    {
        var config = JsonSerializer.SerializeToUtf8Bytes(new
        {
            architecture = "amd64",
            os = "linux",
            config = new { Labels = new Dictionary<string, string> { ["org.opencontainers.image.title"] = image.Repository } },
            rootfs = new { type = "layers", diff_ids = layers.Select(l => l.DiffId.ToString()).ToArray() },
        });
        var configDigest = await store.PutAsync(config, cancellationToken);
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = MediaTypes.OciManifest,
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = configDigest.ToString(), size = config.Length },
            layers = layers.Select(l => new { mediaType = "application/vnd.oci.image.layer.v1.tar+gzip", digest = l.Blob.Digest, size = l.Blob.Size }).ToArray(),
        });
        var manifestDigest = await store.PutAsync(manifest, cancellationToken);
        return new GeneratedImage(image.Repository, image.Tag, manifestDigest.ToString(), [new GeneratedBlob(configDigest.ToString(), config.Length), .. layers.Select(l => l.Blob)]);
    }

    private static int Seed(string text) => BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
