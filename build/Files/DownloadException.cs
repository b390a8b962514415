using System.Net;

namespace Lading.Files;

/// <summary>A download failed: which URL, the HTTP status when there was one, and why; or several of them at once.</summary>
public sealed class DownloadException : Exception
{
    public DownloadException(Uri url, string reason, HttpStatusCode? status = null, Exception? inner = null)
        : base($"Download of {IdleWatch.Shown(url)} failed" + (status is { } code ? $" (HTTP {(int)code} {code})" : string.Empty) + $": {reason}", inner)
    {
        Url = url;
        Status = status;
        Failures = [this];
    }

    private DownloadException(IReadOnlyList<DownloadException> failures)
        : base($"{failures.Count} downloads failed:" + Environment.NewLine + string.Join(Environment.NewLine, failures.Select(f => "  " + f.Message)))
    {
        Failures = failures;
    }

    /// <summary>The URL, or null when this reports several failed downloads.</summary>
    public Uri? Url { get; }

    public HttpStatusCode? Status { get; }

    /// <summary>Every failed download; just this one when it is about one URL.</summary>
    public IReadOnlyList<DownloadException> Failures { get; }

    public static DownloadException HashMismatch(Uri url, string expected, string actual) =>
        new(url, $"sha256 mismatch: expected {expected}, got {actual}; the downloaded file was removed.");

    internal static DownloadException Of(IReadOnlyList<DownloadException> failures) => failures.Count == 1 ? failures[0] : new(failures);
}
