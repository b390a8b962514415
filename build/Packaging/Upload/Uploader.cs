namespace Lading.Packaging.Upload;

/// <summary>Picks the uploader for the destination's scheme: <c>file://</c> folders or http(s) PUT.</summary>
public sealed class Uploader(HttpClient http, UploadOptions? options = null) : IUploader
{
    private readonly FolderUploader _folder = new();
    private readonly HttpUploader _http = new(http, options);

    public Task<UploadResult> UploadAsync(string localFile, Uri destination, UploadCredentials? credentials, IProgress<long>? progress, CancellationToken cancellationToken) =>
        destination switch
        {
            { IsAbsoluteUri: true, IsFile: true } => _folder.UploadAsync(localFile, destination, credentials, progress, cancellationToken),
            { IsAbsoluteUri: true, Scheme: "http" or "https" } => _http.UploadAsync(localFile, destination, credentials, progress, cancellationToken),
            _ => throw new UploadException(destination, "only file:// folders and http(s) addresses are supported."),
        };
}
