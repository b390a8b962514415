using System.Net;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Registry;

/// <summary>
/// Forwards to a real registry, letting a test break chosen answers: fail, delay, truncate or corrupt them.
/// The fault callback returns true when it has answered the request itself.
/// </summary>
public sealed class RegistryProxy : IAsyncDisposable
{
    private static readonly string[] RequestHeaders = ["Accept", "Authorization"];
    private static readonly string[] ResponseHeaders = ["Docker-Content-Digest", "Location", "WWW-Authenticate", "Range", "Docker-Upload-UUID", "Docker-Distribution-Api-Version"];

    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None });
    private readonly RecordingHttpServer _server;

    public RegistryProxy(string upstreamHost, Func<HttpListenerContext, RecordedRequest, Task<bool>>? fault = null)
    {
        _server = new RecordingHttpServer(async (context, seen) =>
        {
            if (fault is not null && await fault(context, seen))
            {
                return;
            }

            using var request = new HttpRequestMessage(new HttpMethod(seen.Method), $"http://{upstreamHost}{seen.PathAndQuery}");
            foreach (var name in RequestHeaders)
            {
                if (context.Request.Headers[name] is { } value)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }
            }

            if (context.Request.HasEntityBody || seen.Method is "PUT" or "PATCH" or "POST")
            {
                request.Content = new ByteArrayContent(seen.Content);
                foreach (var name in new[] { "Content-Type", "Content-Range" })
                {
                    if (context.Request.Headers[name] is { } value)
                    {
                        request.Content.Headers.TryAddWithoutValidation(name, value);
                    }
                }
            }

            using var response = await _http.SendAsync(request);
            var body = await response.Content.ReadAsByteArrayAsync();
            if (BodyFault is not null && await BodyFault(context, seen, body))
            {
                return;
            }

            var headers = ResponseHeaders
                .Where(h => response.Headers.Contains(h))
                .ToDictionary(h => h, h => string.Join(", ", response.Headers.GetValues(h)).Replace(upstreamHost, _server!.Host));
            if (seen.Method == "HEAD")
            {
                // HttpListener cannot announce a length without sending it; HEAD answers carry none here.
                await RecordingHttpServer.WriteAsync(context, (int)response.StatusCode, null, response.Content.Headers.ContentType?.ToString(), headers);
                return;
            }

            await RecordingHttpServer.WriteAsync(context, (int)response.StatusCode, body, response.Content.Headers.ContentType?.ToString(), headers);
        });
    }

    /// <summary>Sees the upstream body before it is forwarded; true when it has answered itself.</summary>
    public Func<HttpListenerContext, RecordedRequest, byte[], Task<bool>>? BodyFault { get; set; }

    public string Host => _server.Host;

    public IReadOnlyList<RecordedRequest> Requests => _server.Requests;

    public IReadOnlyList<string> Failures => _server.Failures;

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
    }
}
