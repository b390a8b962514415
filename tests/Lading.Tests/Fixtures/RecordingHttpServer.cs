using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Lading.Tests.Fixtures;

/// <summary>One request as it reached the server: its number in order of arrival, the raw path and query, every header, the body.</summary>
public sealed record RecordedRequest(int Number, string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Content)
{
    public string PathAndQuery => Path + Query;

    public string Body => Encoding.UTF8.GetString(Content);

    public string? Authorization => Header("Authorization");

    public string? Accept => Header("Accept");

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public JsonElement Json() => JsonDocument.Parse(Content).RootElement;

    public override string ToString() => $"{Method} {PathAndQuery}";
}

/// <summary>What the server answers; a delay lets tests see timeouts.</summary>
public sealed record RecordedResponse(int Status, string Body = "", string ContentType = "application/json", TimeSpan Delay = default)
{
    public static RecordedResponse Json(int status, object body) => new(status, JsonSerializer.Serialize(body));
}

/// <summary>
/// An HTTP server on 127.0.0.1 and a free port that records every request, body included, so tests can assert exactly
/// what a client sent. It answers with a <see cref="RecordedResponse"/> (forges, chats, webhooks), or through a handler
/// given the listener's own context (fake registries, token services, storage hosts, fault-injecting proxies).
/// </summary>
public sealed class RecordingHttpServer : IDisposable, IAsyncDisposable
{
    private HttpListener _listener = null!;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private Func<HttpListenerContext, RecordedRequest, Task> _handler;
    private int _count;
    private bool _disposed;

    /// <summary>Answers every request with what <paramref name="answer"/> returns; by default 200 and an empty JSON object.</summary>
    public RecordingHttpServer(Func<RecordedRequest, RecordedResponse>? answer = null)
    {
        _handler = Answering(answer ?? (_ => new RecordedResponse(200, "{}")));
        _loop = Start();
    }

    /// <summary>Hands every request to <paramref name="handler"/>, which writes the answer itself (see <see cref="WriteAsync"/>).</summary>
    public RecordingHttpServer(Func<HttpListenerContext, RecordedRequest, Task> handler)
    {
        _handler = handler;
        _loop = Start();
    }

    public int Port { get; private set; }

    /// <summary>host:port, as a registry is named.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public Uri BaseAddress => new($"http://{Host}/");

    /// <summary>Every request so far, in order of arrival.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests.OrderBy(r => r.Number)];

    /// <summary>What went wrong inside the handler, so a broken fake fails the test visibly.</summary>
    public IReadOnlyList<string> Failures => [.. _failures];

    public void Answer(Func<RecordedRequest, RecordedResponse> answer) => _handler = Answering(answer);

    /// <summary>Answers with each response in turn, repeating the last one.</summary>
    public void AnswerInTurn(params RecordedResponse[] responses)
    {
        var next = 0;
        Answer(_ => responses[Math.Min(Interlocked.Increment(ref next) - 1, responses.Length - 1)]);
    }

    /// <summary>Writes a whole answer; a HEAD answer announces the length without the body.</summary>
    public static async Task WriteAsync(HttpListenerContext context, int status, byte[]? body = null, string? contentType = null, IDictionary<string, string>? headers = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }

        if (contentType is not null)
        {
            response.ContentType = contentType;
        }

        response.ContentLength64 = body?.Length ?? 0;
        if (body is not null && context.Request.HttpMethod != "HEAD")
        {
            await response.OutputStream.WriteAsync(body);
        }

        response.Close();
    }

    private Func<HttpListenerContext, RecordedRequest, Task> Answering(Func<RecordedRequest, RecordedResponse> answer) => async (context, request) =>
    {
        RecordedResponse response;
        try
        {
            response = answer(request);
        }
        catch (Exception e)
        {
            _failures.Enqueue($"{request}: {e.Message}");
            response = new RecordedResponse(599, e.Message, "text/plain");
        }

        try
        {
            if (response.Delay > TimeSpan.Zero)
            {
                await Task.Delay(response.Delay, _stop.Token);
            }

            await WriteAsync(context, response.Status, Encoding.UTF8.GetBytes(response.Body), response.ContentType);
        }
        catch (Exception)
        {
            // The client went away (a timeout test) or the server is stopping.
            context.Response.Abort();
        }
    };

    private Task Start()
    {
        // Another process may take the port between probing and binding: try a few.
        for (var attempt = 0; ; attempt++)
        {
            Port = FreePort.Next();

            // A listener whose Start failed is disposed: each attempt needs a new one.
            _listener = new HttpListener();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                _listener.Start();
                return Task.Run(AcceptAsync);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested || !_listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                continue;
            }

            var number = Interlocked.Increment(ref _count);
            _ = Task.Run(() => HandleAsync(context, number));
        }
    }

    private async Task HandleAsync(HttpListenerContext context, int number)
    {
        RecordedRequest? request = null;
        try
        {
            request = await RecordAsync(context, number);
            await _handler(context, request);
        }
        catch (Exception e)
        {
            _failures.Enqueue($"{request?.ToString() ?? context.Request.RawUrl}: {e.Message}");
            try
            {
                context.Response.Abort();
            }
            catch (Exception)
            {
            }
        }
    }

    private async Task<RecordedRequest> RecordAsync(HttpListenerContext context, int number)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.InputStream.CopyToAsync(body);
        var raw = request.RawUrl ?? "/";
        var queryAt = raw.IndexOf('?');
        var headers = request.Headers.AllKeys
            .Where(k => k is not null)
            .ToDictionary(k => k!, k => request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
        var recorded = new RecordedRequest(
            number,
            request.HttpMethod,
            queryAt < 0 ? raw : raw[..queryAt],
            queryAt < 0 ? string.Empty : raw[queryAt..],
            headers,
            body.ToArray());
        _requests.Enqueue(recorded);
        return recorded;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stop.Cancel();
        // Close alone: Stop then Close makes HttpListener bind the port again for a moment while removing it.
        try
        {
            _listener.Close();
        }
        catch (HttpListenerException)
        {
            // Closing can race a test's last request; the port is released either way.
        }

        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
