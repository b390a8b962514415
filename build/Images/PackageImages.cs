namespace Lading.Images;

/// <summary>Which image layouts a package carries (<c>--layout=registry|oci|both</c>).</summary>
[Flags]
public enum ImageLayoutKind
{
    Registry = 1,
    Oci = 2,
    Both = Registry | Oci,
}

/// <summary>
/// A package's images, laid out from the store under one output folder: <c>registry/</c> (the tree a stock registry
/// serves) and/or <c>oci/</c> (an OCI image layout), sharing the store's inodes.
/// </summary>
public static class PackageImages
{
    public const string RegistryFolder = "registry";
    public const string OciFolder = "oci";

    public static ImageLayoutKind ParseLayout(string text) => text.Trim().ToLowerInvariant() switch
    {
        "registry" => ImageLayoutKind.Registry,
        "oci" => ImageLayoutKind.Oci,
        "both" => ImageLayoutKind.Both,
        _ => throw new ImageLayoutException($"'{text}' is not an image layout: use registry, oci or both."),
    };

    /// <summary>Writes the chosen layouts; each result counts the blob files of its own layout.</summary>
    public static async Task<IReadOnlyDictionary<ImageLayoutKind, LayoutWriteResult>> WriteAsync(
        IBlobStore store,
        string output,
        ImageLayoutKind layouts,
        IReadOnlyCollection<LayoutImage> images,
        CancellationToken cancellationToken,
        Action<string, string, string>? onCopied = null)
    {
        var results = new Dictionary<ImageLayoutKind, LayoutWriteResult>();
        if (layouts.HasFlag(ImageLayoutKind.Registry))
        {
            results[ImageLayoutKind.Registry] = await new RegistryTreeWriter(store, Path.Combine(output, RegistryFolder))
                .WriteAsync(images, cancellationToken, onCopied);
        }

        if (layouts.HasFlag(ImageLayoutKind.Oci))
        {
            results[ImageLayoutKind.Oci] = await new OciLayoutWriter(store, Path.Combine(output, OciFolder))
                .WriteAsync(images, cancellationToken, onCopied);
        }

        return results;
    }
}
