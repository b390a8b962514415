using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lading.Images;

/// <summary>
/// Writes images as one OCI image layout: <c>oci-layout</c>, <c>index.json</c> naming each image by its site name in
/// the <c>org.opencontainers.image.ref.name</c> annotation, and <c>blobs/sha256/&lt;hex&gt;</c> hard-linked from the store.
/// </summary>
public sealed class OciLayoutWriter(IBlobStore store, string root)
{
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public string Root { get; } = Path.GetFullPath(root);

    public string IndexPath => Path.Combine(Root, "index.json");

    /// <summary>Adds the images; an image already named in index.json is pointed at its new manifest, others are kept.</summary>
    public async Task<LayoutWriteResult> WriteAsync(
        IEnumerable<LayoutImage> images,
        CancellationToken cancellationToken,
        Action<string, string, string>? onCopied = null)
    {
        var result = new LayoutWriteResult();
        var placed = new HashSet<Digest>();
        var entries = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var image in images)
        {
            var stored = await LayoutPlacement.PlaceAsync(store, image, "OCI layout", BlobPath, placed, result, onCopied, cancellationToken);

            var top = stored.Top.Descriptor;
            entries[image.RefName] = new JsonObject
            {
                ["mediaType"] = top.MediaType,
                ["digest"] = top.Digest.ToString(),
                ["size"] = top.Size,
                ["annotations"] = new JsonObject { [RefNameAnnotation] = image.RefName },
            };
            if (top.MediaType is MediaTypes.DockerManifest or MediaTypes.DockerManifestList)
            {
                // Converting to OCI would change the digest that charts may pin, so the docker type is kept.
                result.Notice($"{image.RefName} keeps its docker media type in the OCI layout; skopeo (1.9) does not find such entries, the registry tree serves them");
            }

            result.CountImage();
        }

        Directory.CreateDirectory(Root);
        WriteAtomically(Path.Combine(Root, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        WriteAtomically(IndexPath, MergeIndex(entries).ToJsonString(Indented) + "\n");
        return result;
    }

    public string BlobPath(Digest digest) => Path.Combine(Root, "blobs", "sha256", digest.Hex);

    /// <summary>Existing entries under other names stay as they were; all are sorted by ref name so output is stable.</summary>
    private JsonObject MergeIndex(Dictionary<string, JsonObject> added)
    {
        var kept = new List<JsonObject>();
        if (File.Exists(IndexPath))
        {
            JsonNode? existing;
            try
            {
                existing = JsonNode.Parse(File.ReadAllText(IndexPath));
            }
            catch (JsonException error)
            {
                throw new ImageLayoutException($"{IndexPath} is not valid JSON ({error.Message}); remove it or the layout folder and run again.", error);
            }

            foreach (var entry in existing?["manifests"]?.AsArray() ?? [])
            {
                if (entry is JsonObject item && !(RefNameOf(item) is { } name && added.ContainsKey(name)))
                {
                    kept.Add((JsonObject)item.DeepClone());
                }
            }
        }

        var manifests = new JsonArray();
        foreach (var entry in kept.Concat(added.Values).OrderBy(e => RefNameOf(e) ?? string.Empty, StringComparer.Ordinal))
        {
            manifests.Add(entry);
        }

        return new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciIndex,
            ["manifests"] = manifests,
        };
    }

    private static string? RefNameOf(JsonObject entry) => entry["annotations"]?[RefNameAnnotation]?.GetValue<string>();

    private static void WriteAtomically(string path, string content)
    {
        var temporary = path + $".{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllText(temporary, content);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
