namespace Lading.Files;

public enum DownloadOutcome
{
    /// <summary>Fetched from the first byte.</summary>
    Downloaded,

    /// <summary>Fetched by continuing a .part file with an HTTP Range request.</summary>
    Resumed,

    /// <summary>Already in place with the expected sha256; nothing fetched.</summary>
    AlreadyPresent,

    /// <summary>Taken from the content store; nothing fetched.</summary>
    FromCache,
}

/// <summary>A file in place under files/ and how it got there.</summary>
/// <param name="Attempts">Requests made for it; 0 when nothing was fetched.</param>
public sealed record DownloadedFile(FileEntry Entry, string Path, string Sha256, long Size, DownloadOutcome Outcome, int Attempts);

/// <summary>Progress of one file: bytes on disk so far and the total when the server told it.</summary>
public sealed record FileProgress(Uri Url, string RelativePath, long BytesDone, long? BytesTotal);
