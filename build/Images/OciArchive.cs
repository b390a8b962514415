using System.Text.Json.Nodes;

namespace Lading.Images;

/// <summary>One image saved as an OCI archive (an OCI layout in a tar), the form `podman load` and `nerdctl load` take.</summary>
public static class OciArchive
{
    /// <summary>containerd's annotation for the name an imported image gets (nerdctl load reads it).</summary>
    public const string ContainerdNameAnnotation = "io.containerd.image.name";

    /// <summary>
    /// Fetches <paramref name="image"/> through the build's image services and writes it to <paramref name="archive"/>,
    /// named by its full reference (<c>docker.io/library/nginx:1.27-alpine</c>) in both the OCI ref name, which podman
    /// loads it under, and containerd's name annotation, which nerdctl loads it under.
    /// </summary>
    /// <param name="scratch">A folder the layout is assembled in first; emptied before use.</param>
    public static async Task SaveAsync(ImageServices images, string image, string scratch, string archive, CancellationToken cancellationToken)
    {
        var reference = ImageReference.Parse(image);
        var list = ImageList.Parse(reference.HasExplicitRegistry && reference.Registry != ImageReference.DockerHub ? reference.ToString() : reference.SiteName, $"site image {image}");
        var synced = await images.Sync().SyncAsync(images.Plan(list), images.Platforms, null, cancellationToken);
        if (Directory.Exists(scratch))
        {
            Directory.Delete(scratch, recursive: true);
        }

        var writer = new OciLayoutWriter(images.Store, scratch);
        await writer.WriteAsync([new LayoutImage(reference.Repository, reference.Tag, synced.Images.Single().Manifest.Digest)], cancellationToken);
        NameByFullReference(writer.IndexPath, reference.ToString());
        await PackageTarWriter.WriteFileAsync(scratch, archive, cancellationToken);
    }

    // Without a registry host in the name, podman would load the image as localhost/<name>, which nothing runs.
    private static void NameByFullReference(string index, string name)
    {
        var root = JsonNode.Parse(File.ReadAllText(index))!;
        foreach (var entry in root["manifests"]!.AsArray())
        {
            entry!["annotations"] = new JsonObject
            {
                [OciLayoutWriter.RefNameAnnotation] = name,
                [ContainerdNameAnnotation] = name,
            };
        }

        File.WriteAllText(index, root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
