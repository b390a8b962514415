namespace Lading.Packaging.Upload;

/// <summary>Puts one local file into a destination folder, never leaving a partial file under its final name, with a <c>.sha256</c> beside it.</summary>
public interface IUploader
{
    /// <param name="destination">A folder URL: <c>file:///srv/packages/</c> or <c>https://nexus.example.com/repository/raw/platform/</c>.</param>
    /// <param name="progress">Bytes of the file sent by the current attempt; a retried attempt starts again from zero.</param>
    Task<UploadResult> UploadAsync(string localFile, Uri destination, UploadCredentials? credentials, IProgress<long>? progress, CancellationToken cancellationToken);
}
