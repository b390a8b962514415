using System.Collections.Concurrent;
using System.Net;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Registry;

/// <summary>A request a loopback server saw: enough to assert what the client sent, and to whom.</summary>
public sealed record SeenRequest(int Number, string Method, string PathAndQuery, string? Authorization, string? Accept);

/// <summary>
/// A small HTTP server on 127.0.0.1 (HttpListener) that records every request and answers with a handler:
/// the base of fake registries, token services, storage hosts and fault-injecting proxies.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerContext, SeenRequest, Task> _handler;
    private readonly ConcurrentQueue<SeenRequest> _seen = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly Task _loop;
    private int _count;

    public LoopbackServer(Func<HttpListenerContext, SeenRequest, Task> handler)
    {
        _handler = handler;
        for (var tries = 0; ; tries++)
        {
            Port = FreePort.Next();
            try
            {
                _listener.Prefixes.Clear();
                _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (tries < 5)
            {
            }
        }

        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    public IReadOnlyList<SeenRequest> Requests => _seen.ToArray();

    /// <summary>Exceptions thrown by the handler, so a broken fake fails the test visibly.</summary>
    public IReadOnlyList<string> Failures => _failures.ToArray();

    public async ValueTask DisposeAsync()
    {
        // Close alone: Stop then Close makes HttpListener bind the port again for a moment while removing it.
        try
        {
            _listener.Close();
        }
        catch (HttpListenerException)
        {
        }

        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
        }
    }

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

    private async Task AcceptLoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                continue;
            }

            var seen = new SeenRequest(
                Interlocked.Increment(ref _count),
                context.Request.HttpMethod,
                context.Request.Url!.PathAndQuery,
                context.Request.Headers["Authorization"],
                context.Request.Headers["Accept"]);
            _seen.Enqueue(seen);
            _ = Task.Run(async () =>
            {
                try
                {
                    await _handler(context, seen);
                }
                catch (Exception e)
                {
                    _failures.Enqueue($"{seen.Method} {seen.PathAndQuery}: {e.Message}");
                    try
                    {
                        context.Response.Abort();
                    }
                    catch (Exception)
                    {
                    }
                }
            });
        }
    }
}
