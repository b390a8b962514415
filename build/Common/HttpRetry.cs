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
    /// <summary>How long any HTTP exchange may move nothing (no answer, no byte either way) before it counts as dropped.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(60);

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

/// <summary>
/// The one idle-timeout rule for HTTP: a request fails when nothing moves for <c>idle</c> (no answer, no byte of the
/// body read or sent), however long the whole transfer takes. The failure is an <see cref="HttpIdleTimeoutException"/>,
/// an IOException, so callers retry it like a dropped connection.
/// </summary>
public sealed class IdleWatch : IDisposable
{
    private readonly CancellationTokenSource _deadline;
    private readonly CancellationToken _outer;
    private long _bytes;

    public IdleWatch(Uri url, TimeSpan idle, CancellationToken cancellationToken)
    {
        Url = url;
        Idle = idle;
        _outer = cancellationToken;
        _deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _deadline.CancelAfter(idle);
    }

    public Uri Url { get; }

    public TimeSpan Idle { get; }

    /// <summary>Cancelled when nothing moved for the idle time, or when the caller cancels.</summary>
    public CancellationToken Token => _deadline.Token;

    /// <summary>True when the watch, not the caller, cancelled.</summary>
    public bool Expired => _deadline.IsCancellationRequested && !_outer.IsCancellationRequested;

    /// <summary>Something moved: the idle time starts again.</summary>
    public void Touch(long bytes = 0)
    {
        Interlocked.Add(ref _bytes, bytes);
        try
        {
            _deadline.CancelAfter(Idle);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>A stream whose every read (of an answer, or of a body being sent) counts as movement and is bounded by the idle time.</summary>
    public Stream Watch(Stream inner) => new WatchedStream(inner, this);

    public HttpIdleTimeoutException Timeout() => new(Url, Idle, Interlocked.Read(ref _bytes));

    /// <summary>Sends and waits for the answer's headers within the idle time.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request)
    {
        try
        {
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Token);
            Touch();
            return response;
        }
        catch (OperationCanceledException) when (Expired)
        {
            throw Timeout();
        }
    }

    /// <summary>
    /// Reads a whole body of at most <paramref name="maxBytes"/> (a manifest, a token, an error): more is refused
    /// whatever Content-Length says or omits, so a body that never ends costs neither memory nor time.
    /// </summary>
    public async Task<byte[]> ReadBodyAsync(HttpContent content, long maxBytes)
    {
        if (content.Headers.ContentLength > maxBytes)
        {
            throw new HttpBodyTooLargeException(Url, maxBytes, content.Headers.ContentLength);
        }

        Stream raw;
        try
        {
            raw = await content.ReadAsStreamAsync(Token);
        }
        catch (OperationCanceledException) when (Expired)
        {
            throw Timeout();
        }

        await using var body = Watch(raw);
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, _outer)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new HttpBodyTooLargeException(Url, maxBytes, null);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public void Dispose() => _deadline.Dispose();

    /// <summary>The address as messages show it: without user and password.</summary>
    public static string Shown(Uri url) =>
        string.IsNullOrEmpty(url.UserInfo) ? url.ToString() : new UriBuilder(url) { UserName = string.Empty, Password = string.Empty }.Uri.ToString();

    /// <summary>A body read under the idle rule: each read touches the watch, and a read that waits too long fails with its timeout.</summary>
    private sealed class WatchedStream(Stream inner, IdleWatch watch) : ReadThroughStream(inner)
    {
        protected override async ValueTask<int> ReadInnerAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, watch.Token);
            try
            {
                return await Inner.ReadAsync(buffer, linked.Token);
            }
            catch (OperationCanceledException) when (watch.Expired)
            {
                throw watch.Timeout();
            }
        }

        protected override int Seen(ReadOnlySpan<byte> buffer, int read)
        {
            watch.Touch(read);
            return read;
        }
    }
}

/// <summary>Nothing moved on a connection for the idle time: worth another attempt, like a dropped connection.</summary>
public sealed class HttpIdleTimeoutException(Uri url, TimeSpan idle, long bytes)
    : IOException($"nothing arrived from {IdleWatch.Shown(url)} for {idle.TotalSeconds:0.#}s (after {bytes} bytes)")
{
    public Uri Url { get; } = url;
}

/// <summary>A body longer than its kind may be (a manifest, a token, an error text): not retried, as the server would send it again.</summary>
public sealed class HttpBodyTooLargeException(Uri url, long maxBytes, long? announced)
    : Exception($"{IdleWatch.Shown(url)} sent {(announced is { } n ? $"{n} bytes" : "more")} where at most {maxBytes} bytes are expected")
{
    public Uri Url { get; } = url;

    public long MaxBytes { get; } = maxBytes;
}
