using Lading.Common;

namespace Lading.Packaging.Upload;

public sealed record UploadOptions
{
    /// <summary>Attempts per request before giving up; each retried PUT starts again from the first byte.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Wait before the first retry; doubled for every further one up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// When the server refuses MOVE (405/501, as Nexus raw and Artifactory do), PUT the final name directly
    /// after the .part upload proved PUT and credentials work; the result is then checked and removed if wrong.
    /// When false, such servers fail the upload instead.
    /// </summary>
    public bool DirectPutWhenMoveUnsupported { get; init; } = true;

    /// <summary>How long a request may move nothing (no byte taken, no answer) before it counts as dropped and is tried again.</summary>
    public TimeSpan IdleTimeout { get; init; } = HttpRetry.DefaultIdleTimeout;

    internal HttpRetry Retry => new(InitialBackoff, MaxBackoff);
}
