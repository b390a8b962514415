namespace Lading.Packaging.Upload;

/// <summary>Where a file landed (no credentials in the addresses) and what was checked.</summary>
/// <param name="Verified">The target reported the uploaded size and it equals the local size.</param>
/// <param name="Attempts">Attempts the file's own upload needed, 1 when nothing was retried.</param>
public sealed record UploadResult(Uri Location, Uri ChecksumLocation, long Size, string Sha256, bool Verified, int Attempts);
