using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Lading.Images;

namespace Lading.Tests.Fixtures;

/// <summary>The bytes both test image builders are made of: random gzip tar layers and a config naming their diff_ids.</summary>
public static class TestLayers
{
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayer = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar+gzip";

    /// <summary>A gzip-compressed tar holding one file of random bytes, and the digest of the uncompressed tar (its diff_id).</summary>
    public static async Task<(byte[] Gzip, Digest DiffId)> RandomAsync(int randomBytes)
    {
        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, $"data/{Guid.NewGuid():N}.bin")
            {
                DataStream = new MemoryStream(RandomNumberGenerator.GetBytes(randomBytes)),
                ModificationTime = DateTimeOffset.UnixEpoch,
            };
            await writer.WriteEntryAsync(entry);
        }

        var tarBytes = tar.ToArray();
        using var gzip = new MemoryStream();
        await using (var compressor = new GZipStream(gzip, CompressionLevel.Fastest, leaveOpen: true))
        {
            await compressor.WriteAsync(tarBytes);
        }

        return (gzip.ToArray(), Digest.Of(tarBytes));
    }

    /// <summary>An image config for the platform over the given diff_ids; a nonce label keeps two otherwise equal test images apart.</summary>
    public static byte[] Config(Platform platform, IEnumerable<Digest> diffIds)
    {
        var config = new JsonObject
        {
            ["architecture"] = platform.Architecture,
            ["os"] = platform.Os,
            ["created"] = "2024-01-01T00:00:00Z",
            ["config"] = new JsonObject { ["Cmd"] = new JsonArray("/bin/true"), ["Labels"] = new JsonObject { ["made-by"] = Guid.NewGuid().ToString("N") } },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(diffIds.Select(d => (JsonNode)d.ToString()).ToArray()) },
        };
        if (platform.Variant is not null)
        {
            config["variant"] = platform.Variant;
        }

        return Encoding.UTF8.GetBytes(config.ToJsonString());
    }
}
