using System.Net;

namespace Lading.Packaging.Upload;

/// <summary>An upload failed: where to (never with credentials), the HTTP status when there was one, and why.</summary>
public sealed class UploadException : Exception
{
    public UploadException(Uri destination, string reason, HttpStatusCode? status = null, Exception? inner = null)
        : base(Describe(destination, reason, status), inner)
    {
        Destination = WithoutCredentials(destination);
        Status = status;
    }

    public Uri Destination { get; }

    public HttpStatusCode? Status { get; }

    /// <summary>The address with any user:password@ removed, safe for messages and logs.</summary>
    public static Uri WithoutCredentials(Uri uri)
    {
        if (!uri.IsAbsoluteUri || string.IsNullOrEmpty(uri.UserInfo))
        {
            return uri;
        }

        return new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri;
    }

    private static string Describe(Uri destination, string reason, HttpStatusCode? status) =>
        $"Upload to {WithoutCredentials(destination)} failed" +
        (status is { } code ? $" (HTTP {(int)code} {code})" : string.Empty) +
        $": {reason}";
}
