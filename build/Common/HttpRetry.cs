using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Lading.Common;

/// <summary>
/// The one rule for retrying HTTP, shared by the registry client, the downloader and the uploader: which answers are
/// worth another attempt, and how long to wait before it (exponential with jitter, or what the server asked for).
/// </summary>
public sealed class HttpRetry(TimeSpan baseDelay, TimeSpan maxDelay)
{
    /// <summary>The delay before attempt <paramref name="nextAttempt"/> (2 for the first retry).</summary>
    public TimeSpan Delay(int nextAttempt, TimeSpan? retryAfter)
    {
        if (retryAfter is { } asked)
        {
            // The server knows its own limits; honour it, but never wait forever.
            return asked < TimeSpan.Zero ? TimeSpan.Zero : asked > maxDelay ? maxDelay : asked;
        }

        var ceiling = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, nextAttempt - 2)));
        // Half fixed, half random: spreads retries of many parallel downloads without ever retrying at once.
        return TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
    }

    /// <summary>Retry-After as seconds or as an HTTP date; null when absent or unreadable.</summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers, DateTimeOffset now)
    {
        var value = headers.RetryAfter;
        if (value?.Delta is { } delta)
        {
            return delta;
        }

        if (value?.Date is { } date)
        {
            return date - now;
        }

        // Some servers send a date .NET's typed parser rejects; read the raw text too.
        if (headers.TryGetValues("Retry-After", out var raw) && raw.FirstOrDefault() is { } text)
        {
            if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return TimeSpan.FromSeconds(seconds);
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
            {
                return when - now;
            }
        }

        return null;
    }

    /// <summary>
    /// 408, 429 and 5xx may pass; 501 and 505 say the server cannot do this at all, so asking again is pointless.
    /// </summary>
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
        || (int)status >= 500 && status is not HttpStatusCode.NotImplemented and not HttpStatusCode.HttpVersionNotSupported;
}
