using System.Net;
using System.Net.Sockets;

namespace Lading.Tests.Fixtures;

/// <summary>
/// A TCP listener on 127.0.0.1 and a free port that hands each connection, numbered from 0, to a handler: the base of
/// the raw proxies and hand-written servers. Disposing stops accepting, cancels the handlers and waits for them.
/// </summary>
public sealed class LoopbackTcpServer : IDisposable, IAsyncDisposable
{
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(10);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<TcpClient, int, CancellationToken, Task> _handle;
    private readonly Task _accepting;
    private int _connections;

    /// <param name="handle">Serves one accepted connection (and disposes it); the token fires when the server stops.</param>
    public LoopbackTcpServer(Func<TcpClient, int, CancellationToken, Task> handle)
    {
        _handle = handle;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _accepting.Wait(StopWait);
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting.WaitAsync(StopWait);
        }
        catch (Exception)
        {
            // A handler's own failure or a slow one must not fail the test's teardown.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var handlers = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var index = Interlocked.Increment(ref _connections) - 1;
                handlers.Add(_handle(client, index, _stop.Token));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(handlers);
    }
}
