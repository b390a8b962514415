using System.Text.Json;

namespace Lading.Images.Registry;

/// <summary>What a manifest says about a blob or another manifest: type, digest, size and, in lists, platform.</summary>
public sealed record ContentDescriptor(string MediaType, Digest Digest, long Size, Platform? Platform = null);

/// <summary>
/// The parts of a manifest the client needs to walk an image: its children (index) or its config and layers.
/// The bytes are kept untouched, since the digest is over them.
/// </summary>
public sealed class ParsedManifest
{
    private ParsedManifest(string mediaType, ContentDescriptor? config, IReadOnlyList<ContentDescriptor> layers, IReadOnlyList<ContentDescriptor> manifests)
    {
        MediaType = mediaType;
        Config = config;
        Layers = layers;
        Manifests = manifests;
    }

    public string MediaType { get; }

    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    public ContentDescriptor? Config { get; }

    public IReadOnlyList<ContentDescriptor> Layers { get; }

    public IReadOnlyList<ContentDescriptor> Manifests { get; }

    /// <summary>Config and layers: the blobs an image manifest needs.</summary>
    public IEnumerable<ContentDescriptor> Blobs => Config is null ? Layers : Layers.Prepend(Config);

    /// <summary>Parses manifest bytes; <paramref name="contentType"/> is used when the body has no mediaType field.</summary>
    public static ParsedManifest Parse(ReadOnlySpan<byte> bytes, string? contentType)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes.ToArray());
            var root = document.RootElement;
            var mediaType = root.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString()! : contentType;
            if (mediaType is null || (!MediaTypes.IsIndex(mediaType) && !MediaTypes.IsImageManifest(mediaType)))
            {
                // An OCI index or manifest may omit mediaType; its shape tells which.
                mediaType = root.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex
                    : root.TryGetProperty("layers", out _) ? MediaTypes.OciManifest
                    : throw new FormatException($"unsupported manifest type '{mediaType ?? "(none)"}'");
            }

            var config = root.TryGetProperty("config", out var c) ? Descriptor(c) : null;
            var layers = root.TryGetProperty("layers", out var l) ? l.EnumerateArray().Select(Descriptor).ToArray() : [];
            var manifests = root.TryGetProperty("manifests", out var m) ? m.EnumerateArray().Select(Descriptor).ToArray() : [];
            return new ParsedManifest(mediaType, config, layers, manifests);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new FormatException($"the manifest is not valid JSON of a known shape ({e.Message})", e);
        }
    }

    private static ContentDescriptor Descriptor(JsonElement element)
    {
        var digestText = element.GetProperty("digest").GetString();
        if (!Digest.TryParse(digestText, out var digest))
        {
            throw new FormatException($"'{digestText}' is not a sha256 digest");
        }

        Platform? platform = null;
        if (element.TryGetProperty("platform", out var p))
        {
            platform = new Platform(
                p.GetProperty("os").GetString() ?? string.Empty,
                p.GetProperty("architecture").GetString() ?? string.Empty,
                p.TryGetProperty("variant", out var v) ? v.GetString() : null);
        }

        return new ContentDescriptor(
            element.TryGetProperty("mediaType", out var mt) ? mt.GetString() ?? string.Empty : string.Empty,
            digest,
            element.GetProperty("size").GetInt64(),
            platform);
    }
}
