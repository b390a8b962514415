using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Lading.Tests.Fixtures;

/// <summary>One request as it reached the server: the raw path and query, every header, the body.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public JsonElement Json() => JsonDocument.Parse(Body).RootElement;

    public override string ToString() => $"{Method} {Path}{Query}";
}

/// <summary>What the server answers; a delay lets tests see timeouts.</summary>
public sealed record RecordedResponse(int Status, string Body = "", string ContentType = "application/json", TimeSpan Delay = default)
{
    public static RecordedResponse Json(int status, object body) => new(status, JsonSerializer.Serialize(body));
}

/// <summary>
/// An HTTP server on 127.0.0.1 and a free port that records every request and answers through a handler,
/// so tests can assert exactly what a client sent.
/// </summary>
public sealed class RecordingHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private Func<RecordedRequest, RecordedResponse> _handler;

    public RecordingHttpServer(Func<RecordedRequest, RecordedResponse>? handler = null)
    {
        _handler = handler ?? (_ => new RecordedResponse(200, "{}"));
        // Another process may take the port between probing and binding: try a few.
        for (var attempt = 0; ; attempt++)
        {
            Port = FreePort.Next();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }

        _loop = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public void Answer(Func<RecordedRequest, RecordedResponse> handler) => _handler = handler;

    /// <summary>Answers with each response in turn, repeating the last one.</summary>
    public void AnswerInTurn(params RecordedResponse[] responses)
    {
        var next = 0;
        _handler = _ => responses[Math.Min(Interlocked.Increment(ref next) - 1, responses.Length - 1)];
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

            _ = Task.Run(() => RespondAsync(context));
        }
    }

    private async Task RespondAsync(HttpListenerContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var raw = request.RawUrl ?? "/";
        var queryAt = raw.IndexOf('?');
        var headers = request.Headers.AllKeys
            .Where(k => k is not null)
            .ToDictionary(k => k!, k => request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
        var recorded = new RecordedRequest(
            request.HttpMethod,
            queryAt < 0 ? raw : raw[..queryAt],
            queryAt < 0 ? string.Empty : raw[queryAt..],
            headers,
            body);
        _requests.Enqueue(recorded);

        RecordedResponse answer;
        try
        {
            answer = _handler(recorded);
        }
        catch (Exception e)
        {
            answer = new RecordedResponse(599, e.Message, "text/plain");
        }

        try
        {
            if (answer.Delay > TimeSpan.Zero)
            {
                await Task.Delay(answer.Delay, _stop.Token);
            }

            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = answer.ContentType;
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception)
        {
            // The client went away (a timeout test) or the server is stopping.
            context.Response.Abort();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
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
}
