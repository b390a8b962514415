using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;

namespace Lading.Chat;

/// <summary>Posts a notice to chats. A chat that cannot be told is a warning in the report, never a failed release.</summary>
public interface INotifier
{
    Task<NotificationReport> NotifyAsync(ReleaseNotice notice, IReadOnlyList<Webhook> webhooks, CancellationToken ct);
}

/// <summary>What became of one webhook; the warning names the webhook by its variable, never by its URL.</summary>
public sealed record WebhookDelivery(Webhook Webhook, bool Delivered, int Attempts, string? Warning)
{
    public override string ToString() => Warning ?? $"{Webhook} notified";
}

public sealed record NotificationReport(IReadOnlyList<WebhookDelivery> Deliveries)
{
    public IReadOnlyList<string> Warnings => [.. Deliveries.Where(d => d.Warning is not null).Select(d => d.Warning!)];

    public bool AllDelivered => Deliveries.All(d => d.Delivered);
}

public sealed class Notifier : INotifier, IDisposable
{
    private const int MaxAnswerBytes = 64 * 1024;

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <param name="http">A shared client; when null the notifier makes and disposes its own.</param>
    /// <param name="timeout">How long one attempt may take (default 10 s).</param>
    /// <param name="retryDelay">The pause before the one retry after a transient answer (408, 429, 5xx; default 2 s).</param>
    public Notifier(HttpClient? http = null, TimeSpan? timeout = null, TimeSpan? retryDelay = null)
    {
        _ownsHttp = http is null;
        // Each attempt carries its own deadline, so the client's is switched off.
        _http = http ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        AttemptTimeout = timeout ?? TimeSpan.FromSeconds(10);
        RetryDelay = retryDelay ?? TimeSpan.FromSeconds(2);
    }

    public TimeSpan AttemptTimeout { get; }

    public TimeSpan RetryDelay { get; }

    public async Task<NotificationReport> NotifyAsync(ReleaseNotice notice, IReadOnlyList<Webhook> webhooks, CancellationToken ct)
    {
        var deliveries = new List<WebhookDelivery>();
        foreach (var webhook in webhooks)
        {
            deliveries.Add(await DeliverAsync(notice, webhook, ct));
        }

        return new NotificationReport(deliveries);
    }

    private async Task<WebhookDelivery> DeliverAsync(ReleaseNotice notice, Webhook webhook, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(webhook.Url))
        {
            return Failed(webhook, 0, $"the environment variable {webhook.UrlEnv} is empty or not set");
        }

        if (!Uri.TryCreate(webhook.Url.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            return Failed(webhook, 0, $"{webhook.UrlEnv} does not hold an http(s) URL");
        }

        var payload = ChatPayload.For(webhook.Kind, notice);
        for (var attempt = 1; ; attempt++)
        {
            var (status, body, problem) = await PostAsync(url, payload, ct);
            if (problem is not null)
            {
                return Failed(webhook, attempt, problem);
            }

            if (HttpRetry.IsTransient(status) && attempt == 1)
            {
                await Task.Delay(RetryDelay, ct);
                continue;
            }

            if ((int)status is < 200 or >= 300)
            {
                var said = ChatError(webhook.Kind, body) ?? Snippet(body);
                var again = attempt > 1 ? " again after a retry" : string.Empty;
                return Failed(webhook, attempt, $"it answered {(int)status} {status}{again}{(said.Length > 0 ? ": " + said : string.Empty)}");
            }

            // WeCom, DingTalk and Feishu answer 200 even when they refuse the message; the refusal is in the body.
            if (ChatError(webhook.Kind, body) is { } refusal)
            {
                return Failed(webhook, attempt, $"the chat refused the message: {refusal}");
            }

            return new WebhookDelivery(webhook, true, attempt, null);
        }
    }

    private async Task<(HttpStatusCode Status, string Body, string? Problem)> PostAsync(Uri url, string payload, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(AttemptTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            // A chat's answer is a few bytes of JSON; more is not read, and the attempt's deadline bounds the wait.
            using var watch = new IdleWatch(url, AttemptTimeout, deadline.Token);
            return (response.StatusCode, Encoding.UTF8.GetString(await watch.ReadBodyAsync(response.Content, MaxAnswerBytes)), null);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpIdleTimeoutException && !ct.IsCancellationRequested)
        {
            return (default, string.Empty, $"it did not answer within {AttemptTimeout.TotalSeconds:0.#} s");
        }
        catch (HttpBodyTooLargeException)
        {
            return (default, string.Empty, $"it answered with more than {MaxAnswerBytes} bytes, which no chat does");
        }
        catch (HttpRequestException e)
        {
            // The exception's own message can quote the address; only its kind is reported.
            return (default, string.Empty, e.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => "its host name could not be resolved",
                HttpRequestError.ConnectionError => "the connection was refused or the host is unreachable",
                HttpRequestError.SecureConnectionError => "the TLS connection could not be set up",
                HttpRequestError.ResponseEnded => "the connection closed before an answer",
                _ => $"the request failed ({e.HttpRequestError})",
            });
        }
    }

    /// <summary>The chat's own error code and message from a JSON body, or null when the body reports success.</summary>
    internal static string? ChatError(WebhookKind kind, string body)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var (codeName, messageName) = kind switch
        {
            WebhookKind.WeCom or WebhookKind.DingTalk => ("errcode", "errmsg"),
            // Feishu answers {code, msg}; older deployments answer {StatusCode, StatusMessage}.
            WebhookKind.Feishu when root.TryGetProperty("StatusCode", out _) && !root.TryGetProperty("code", out _) => ("StatusCode", "StatusMessage"),
            WebhookKind.Feishu => ("code", "msg"),
            _ => (null, null),
        };
        if (codeName is null || !root.TryGetProperty(codeName, out var code) || code.ValueKind != JsonValueKind.Number || code.GetInt64() == 0)
        {
            return null;
        }

        var message = root.TryGetProperty(messageName!, out var m) ? m.ToString() : string.Empty;
        return $"{codeName} {code.GetInt64()}{(message.Length > 0 ? " " + message : string.Empty)}";
    }

    private static string Snippet(string body)
    {
        var text = body.ReplaceLineEndings(" ").Trim();
        return text.Length > 200 ? text[..200] + "…" : text;
    }

    private static WebhookDelivery Failed(Webhook webhook, int attempts, string reason) =>
        new(webhook, false, attempts, webhook.Scrub($"{webhook} was not notified: {reason}"));

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}
