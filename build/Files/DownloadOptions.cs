using Lading.Common;

namespace Lading.Files;

public sealed record DownloadOptions
{
    /// <summary>Files fetched at once.</summary>
    public int Parallelism { get; init; } = 4;

    /// <summary>Requests per file before giving up; a dropped transfer resumes from the bytes already on disk.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Wait before the first retry; doubled for every further one up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The content store shared by builds; verified files are kept in <c>&lt;Cache&gt;/files/sha256/&lt;hex&gt;</c>.</summary>
    public string? Cache { get; init; }

    /// <summary>How long a download may deliver nothing (no answer, no byte) before it counts as dropped and is resumed.</summary>
    public TimeSpan IdleTimeout { get; init; } = HttpRetry.DefaultIdleTimeout;

    /// <summary>The largest file accepted: one announced larger is refused, one without a length is cut off there.</summary>
    public long MaxFileSize { get; init; } = 16L << 30;

    internal HttpRetry Retry => new(InitialBackoff, MaxBackoff);
}
