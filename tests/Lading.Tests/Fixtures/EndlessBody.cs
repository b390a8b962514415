using System.Net;

namespace Lading.Tests.Fixtures;

/// <summary>
/// A hostile server's answer: zeros without Content-Length until the client hangs up, bounded all the same (256 MiB
/// over every answer of one test, or 30 s), so a client that never stops reading fails the test instead of the machine.
/// </summary>
public sealed class EndlessBody(CancellationToken stop)
{
    private const long MostBytes = 256L << 20;
    private long _sent;

    /// <summary>Bytes sent so far over every answer.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    public async Task SendAsync(HttpListenerContext context, int status, string? contentType = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        if (contentType is not null)
        {
            response.ContentType = contentType;
        }

        response.SendChunked = true;
        var chunk = new byte[64 * 1024];
        var until = DateTime.UtcNow.AddSeconds(30);
        try
        {
            while (Sent < MostBytes && DateTime.UtcNow < until && !stop.IsCancellationRequested)
            {
                await response.OutputStream.WriteAsync(chunk, stop);
                Interlocked.Add(ref _sent, chunk.Length);
            }
        }
        catch (Exception e) when (e is HttpListenerException or IOException or OperationCanceledException or ObjectDisposedException)
        {
        }

        response.Abort();
    }
}
