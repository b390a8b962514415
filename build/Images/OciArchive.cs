namespace Lading.Images;

/// <summary>One image saved as an OCI archive (an OCI layout in a tar), the form `nerdctl load` and `podman load` take.</summary>
public static class OciArchive
{
    /// <summary>
    /// Fetches <paramref name="image"/> through the build's image services and writes it to <paramref name="archive"/>,
    /// its ref name the site name, which containerd reads with the docker.io defaults as compose files name images.
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

        await new OciLayoutWriter(images.Store, scratch).WriteAsync([new LayoutImage(reference.Repository, reference.Tag, synced.Images.Single().Manifest.Digest)], cancellationToken);
        await PackageTarWriter.WriteFileAsync(scratch, archive, cancellationToken);
    }
}
