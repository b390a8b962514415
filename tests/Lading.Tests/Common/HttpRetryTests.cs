using System.Net;
using System.Net.Http.Headers;

namespace Lading.Tests.Common;

/// <summary>The one retry rule the registry client, the downloader and the uploader share.</summary>
public sealed class HttpRetryTests
{
    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.GatewayTimeout, true)]
    [InlineData(HttpStatusCode.NotImplemented, false)]
    [InlineData(HttpStatusCode.HttpVersionNotSupported, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.MethodNotAllowed, false)]
    public void Only_answers_that_may_pass_are_retried(HttpStatusCode status, bool transient) =>
        Assert.Equal(transient, HttpRetry.IsTransient(status));

    [Fact]
    public void Retry_after_is_read_as_seconds_or_as_an_http_date()
    {
        var now = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(7), HttpRetry.RetryAfter(Headers("7"), now));
        Assert.Equal(TimeSpan.FromSeconds(30), HttpRetry.RetryAfter(Headers("Thu, 26 Nov 2026 12:00:30 GMT"), now));
        Assert.Null(HttpRetry.RetryAfter(Headers(null), now));
    }

    [Fact]
    public void Delays_grow_with_jitter_and_honour_the_server_within_the_cap()
    {
        var backoff = new HttpRetry(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));

        Assert.InRange(backoff.Delay(2, null).TotalMilliseconds, 50, 100);
        Assert.InRange(backoff.Delay(4, null).TotalMilliseconds, 200, 400);
        Assert.InRange(backoff.Delay(20, null).TotalMilliseconds, 1000, 2000);
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Delay(2, TimeSpan.FromSeconds(1)));
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.Delay(2, TimeSpan.FromHours(1)));
        Assert.Equal(TimeSpan.Zero, backoff.Delay(2, TimeSpan.FromSeconds(-3)));
    }

    private static HttpResponseHeaders Headers(string? retryAfter)
    {
        var response = new HttpResponseMessage();
        if (retryAfter is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        }

        return response.Headers;
    }
}
