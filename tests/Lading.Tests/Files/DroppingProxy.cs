using System.Net;
using System.Net.Sockets;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Files;

/// <summary>Where a connection through <see cref="DroppingProxy"/> is cut: after so many bytes of request or of response.</summary>
public sealed record Cut(long? RequestBytes = null, long? ResponseBytes = null);

/// <summary>
/// A loopback TCP proxy in front of a real server that cuts chosen connections midway, as a flaky network or a
/// restarted server does: the bytes up to the cut pass, then both sides are closed.
/// </summary>
public sealed class DroppingProxy : IDisposable
{
    private readonly int _upstreamPort;
    private readonly LoopbackTcpServer _server;

    /// <param name="plan">For the n-th connection (from 0), where to cut it; null passes it through untouched.</param>
    public DroppingProxy(int upstreamPort, Func<int, Cut?> plan)
    {
        _upstreamPort = upstreamPort;
        _server = new LoopbackTcpServer((client, index, stop) => RelayAsync(client, plan(index), stop));
    }

    public int Port => _server.Port;

    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    public int Connections => _server.Connections;

    public void Dispose() => _server.Dispose();

    private async Task RelayAsync(TcpClient client, Cut? cut, CancellationToken stop)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort, stop);
                using var done = CancellationTokenSource.CreateLinkedTokenSource(stop);
                var toServer = PumpAsync(client.GetStream(), upstream.GetStream(), cut?.RequestBytes, done);
                var toClient = PumpAsync(upstream.GetStream(), client.GetStream(), cut?.ResponseBytes, done);
                await Task.WhenAny(toServer, toClient);
                // Either side closing (or a cut) ends the whole connection, as a dropped link would.
                await done.CancelAsync();
                await Task.WhenAll(toServer, toClient);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
            }
        }
    }

    private static async Task PumpAsync(Stream from, Stream to, long? limit, CancellationTokenSource done)
    {
        var buffer = new byte[16 * 1024];
        long passed = 0;
        try
        {
            while (!done.IsCancellationRequested)
            {
                var want = limit is { } max ? (int)Math.Min(buffer.Length, max - passed) : buffer.Length;
                if (want <= 0)
                {
                    return;
                }

                var read = await from.ReadAsync(buffer.AsMemory(0, want), done.Token);
                if (read == 0)
                {
                    return;
                }

                await to.WriteAsync(buffer.AsMemory(0, read), done.Token);
                await to.FlushAsync(done.Token);
                passed += read;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }
}
