using System.Text.Json;

namespace Lading.Images;

public static class MediaTypes
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerSchema1 = "application/vnd.docker.distribution.manifest.v1+json";
    public const string DockerSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    public const string OciLayout = "application/vnd.oci.layout.header.v1+json";

    /// <summary>
    /// Every manifest type Lading reads, for the Accept header. Without all four, docker-registry 2.8 answers 404 for
    /// OCI manifests and rewrites docker v2 manifests to schema1 under another digest.
    /// </summary>
    public static IReadOnlyList<string> Accept { get; } = [OciIndex, OciManifest, DockerManifestList, DockerManifest];

    public static bool IsIndex(string mediaType) => mediaType is OciIndex or DockerManifestList;

    public static bool IsManifest(string mediaType) => mediaType is OciManifest or DockerManifest;
}

/// <summary>Where to find one piece of content: its media type, digest and size.</summary>
public sealed record Descriptor(string MediaType, Digest Digest, long Size)
{
    public Platform? Platform { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>Set on foreign (non-distributable) layers, which registries do not hold.</summary>
    public IReadOnlyList<string>? Urls { get; init; }
}

public sealed record Platform(string Os, string Architecture, string? Variant = null)
{
    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}

/// <summary>
/// An image manifest (config and layers) or an index (platform manifests), docker or OCI: what Lading needs of it to
/// find every blob an image is made of.
/// </summary>
public sealed record ImageManifest(string MediaType, Descriptor? Config, IReadOnlyList<Descriptor> Layers, IReadOnlyList<Descriptor> Manifests)
{
    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    /// <summary>The config and every layer, for an image manifest; nothing for an index.</summary>
    public IEnumerable<Descriptor> Blobs => Config is null ? Layers : [Config, .. Layers];

    /// <summary>Reads a manifest; <paramref name="mediaType"/> (from a Content-Type or a descriptor) wins over the body's.</summary>
    public static ImageManifest Parse(ReadOnlySpan<byte> json, string? mediaType = null)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            return Read(document.RootElement, mediaType);
        }
        catch (JsonException error)
        {
            throw new ManifestException($"The manifest is not valid JSON: {error.Message}");
        }
    }

    private static ImageManifest Read(JsonElement root, string? mediaType)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ManifestException("The manifest is not a JSON object.");
        }

        var declared = root.TryGetProperty("mediaType", out var declaredType) && declaredType.ValueKind == JsonValueKind.String
            ? declaredType.GetString()
            : null;
        var schemaVersion = root.TryGetProperty("schemaVersion", out var version) && version.ValueKind == JsonValueKind.Number ? version.GetInt32() : 0;
        if (schemaVersion == 1 || mediaType is MediaTypes.DockerSchema1 or MediaTypes.DockerSchema1Signed)
        {
            throw new ManifestException("The manifest is docker schema 1, which registries no longer serve; rebuild or re-push the image.");
        }

        // OCI makes mediaType optional: an index has manifests, an image manifest has a config.
        var type = (string.IsNullOrEmpty(mediaType) || mediaType is "application/json" or "application/octet-stream" ? null : mediaType)
            ?? declared
            ?? (root.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex : MediaTypes.OciManifest);
        if (!MediaTypes.IsIndex(type) && !MediaTypes.IsManifest(type))
        {
            throw new ManifestException($"'{type}' is not an image manifest or index media type.");
        }

        if (MediaTypes.IsIndex(type))
        {
            return new ImageManifest(type, null, [], ReadList(root, "manifests", required: true));
        }

        if (!root.TryGetProperty("config", out var config))
        {
            throw new ManifestException("The image manifest has no config.");
        }

        return new ImageManifest(type, ReadDescriptor(config, "config"), ReadList(root, "layers", required: true), []);
    }

    private static List<Descriptor> ReadList(JsonElement root, string name, bool required)
    {
        if (!root.TryGetProperty(name, out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return required ? throw new ManifestException($"The manifest has no '{name}' list.") : [];
        }

        return list.EnumerateArray().Select((item, i) => ReadDescriptor(item, $"{name}[{i}]")).ToList();
    }

    private static Descriptor ReadDescriptor(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ManifestException($"{where} is not a descriptor object.");
        }

        var digestText = element.TryGetProperty("digest", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        if (!Digest.TryParse(digestText, out var digest))
        {
            throw new ManifestException($"{where} has digest '{digestText}', not a sha256 digest.");
        }

        if (!element.TryGetProperty("size", out var s) || !s.TryGetInt64(out var size) || size < 0)
        {
            throw new ManifestException($"{where} ({digest}) has no valid size.");
        }

        var mediaType = element.TryGetProperty("mediaType", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : string.Empty;
        Platform? platform = null;
        if (element.TryGetProperty("platform", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            platform = new Platform(
                p.TryGetProperty("os", out var os) ? os.GetString() ?? string.Empty : string.Empty,
                p.TryGetProperty("architecture", out var arch) ? arch.GetString() ?? string.Empty : string.Empty,
                p.TryGetProperty("variant", out var variant) ? variant.GetString() : null);
        }

        Dictionary<string, string>? annotations = null;
        if (element.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Object)
        {
            annotations = a.EnumerateObject().Where(x => x.Value.ValueKind == JsonValueKind.String).ToDictionary(x => x.Name, x => x.Value.GetString()!);
        }

        List<string>? urls = null;
        if (element.TryGetProperty("urls", out var u) && u.ValueKind == JsonValueKind.Array)
        {
            urls = u.EnumerateArray().Select(x => x.GetString() ?? string.Empty).ToList();
        }

        return new Descriptor(mediaType, digest, size) { Platform = platform, Annotations = annotations, Urls = urls };
    }
}

/// <summary>A manifest Lading cannot read or use.</summary>
public sealed class ManifestException(string message) : Exception(message);
