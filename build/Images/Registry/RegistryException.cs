using System.Net;

namespace Lading.Images.Registry;

/// <summary>A registry refused, lacked or garbled something; the message names the image and the registry.</summary>
public sealed class RegistryException : Exception
{
    public RegistryException(string message, string registry, string subject, HttpStatusCode? statusCode = null, string? errorCode = null, Exception? inner = null)
        : base(message, inner)
    {
        Registry = registry;
        Subject = subject;
        StatusCode = statusCode;
        ErrorCode = errorCode;
    }

    /// <summary>The registry host, as the user wrote it.</summary>
    public string Registry { get; }

    /// <summary>What was asked for: <c>library/nginx:1.25.3</c>, <c>library/nginx@sha256:…</c> or a repository.</summary>
    public string Subject { get; }

    public HttpStatusCode? StatusCode { get; }

    /// <summary>The registry's own error code (MANIFEST_UNKNOWN, BLOB_UNKNOWN, UNAUTHORIZED…), when it sent one.</summary>
    public string? ErrorCode { get; }

    /// <summary>The code of a registry that answers plain http to https.</summary>
    public const string PlainHttpCode = "PLAIN_HTTP";

    /// <summary>The code of a TLS connection that could not be set up (an untrusted certificate).</summary>
    public const string TlsFailed = "TLS_FAILED";

    /// <summary>True when the failure is the registry's as a whole (how it is reached), not one image's.</summary>
    public bool IsAboutRegistry => ErrorCode is PlainHttpCode or TlsFailed;

    /// <summary>True when the thing asked for does not exist (as opposed to a refusal or an outage).</summary>
    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;
}
