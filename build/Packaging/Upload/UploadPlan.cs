namespace Lading.Packaging.Upload;

/// <summary>The addresses an upload writes (never with credentials), for --dryrun and for the summary.</summary>
public sealed record UploadPlan(string LocalFile, Uri Part, Uri Final, Uri Checksum)
{
    public static UploadPlan For(string localFile, Uri destination)
    {
        var name = Path.GetFileName(localFile);
        var folder = FolderOf(destination);
        return new UploadPlan(
            localFile,
            new Uri(folder, Uri.EscapeDataString(name + ".part")),
            new Uri(folder, Uri.EscapeDataString(name)),
            new Uri(folder, Uri.EscapeDataString(Sha256File.NameFor(name))));
    }

    public override string ToString() => $"{LocalFile} -> {Final} (via {Part.Segments[^1]}, with {Checksum.Segments[^1]})";

    /// <summary>The folder address with a trailing slash, and no credentials, query or fragment.</summary>
    internal static Uri FolderOf(Uri destination)
    {
        var builder = new UriBuilder(UploadException.WithoutCredentials(destination)) { Query = string.Empty, Fragment = string.Empty };
        if (!builder.Path.EndsWith('/'))
        {
            builder.Path += "/";
        }

        return builder.Uri;
    }
}
