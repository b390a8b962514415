using System.Text;

namespace Lading.Images;

/// <summary>
/// Writes images as the storage tree of a docker registry (<c>docker/registry/v2</c>), which a stock registry serves
/// as-is, read-only. Blob bytes are hard links into the store; everything else is small link files.
/// </summary>
public sealed class RegistryTreeWriter(IBlobStore store, string root)
{
    /// <summary>The folder to give the registry as <c>storage.filesystem.rootdirectory</c>.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    public string TreeFolder => Path.Combine(Root, "docker", "registry", "v2");

    /// <summary>Adds the images to the tree; what is already there is kept, what is missing or wrong is written.</summary>
    public async Task<LayoutWriteResult> WriteAsync(
        IEnumerable<LayoutImage> images,
        CancellationToken cancellationToken,
        Action<string, string, string>? onCopied = null)
    {
        var result = new LayoutWriteResult();
        var placed = new HashSet<Digest>();
        foreach (var image in images)
        {
            var stored = await LayoutPlacement.PlaceAsync(store, image, "registry tree", BlobPath, placed, result, onCopied, cancellationToken);

            var repository = Path.Combine(TreeFolder, "repositories", image.Repository);
            foreach (var blob in stored.Blobs)
            {
                WriteLink(Path.Combine(repository, "_layers", "sha256", blob.Digest.Hex, "link"), blob.Digest);
            }

            // The registry serves a manifest only when the repository has its revision: the index and each platform's.
            foreach (var manifest in stored.Manifests)
            {
                WriteLink(Path.Combine(repository, "_manifests", "revisions", "sha256", manifest.Descriptor.Digest.Hex, "link"), manifest.Descriptor.Digest);
            }

            if (image.Tag is not null)
            {
                WriteLink(Path.Combine(repository, "_manifests", "tags", image.Tag, "current", "link"), image.Manifest);
            }

            result.CountImage();
        }

        return result;
    }

    public string BlobPath(Digest digest) => Path.Combine(TreeFolder, "blobs", "sha256", digest.Hex[..2], digest.Hex, "data");

    /// <summary>
    /// Writes a link file: exactly <c>sha256:&lt;hex&gt;</c>, 71 bytes, no newline (docker-registry answers 500 to a
    /// trailing newline). Replaced atomically, so a reader never sees half a link.
    /// </summary>
    internal static void WriteLink(string path, Digest digest)
    {
        var content = Encoding.ASCII.GetBytes(digest.ToString());
        try
        {
            if (File.ReadAllBytes(path).AsSpan().SequenceEqual(content))
            {
                return;
            }
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
        }

        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".link.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(temporary, content);
        try
        {
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
