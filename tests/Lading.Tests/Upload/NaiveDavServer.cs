using System.Net.Sockets;
using System.Text;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Upload;

/// <summary>
/// A deliberately careless PUT server: it writes a body straight under the requested name as the bytes arrive and
/// keeps whatever came when the connection drops, as some plain file servers do. One request per connection.
/// </summary>
public sealed class NaiveDavServer : IDisposable
{
    private readonly LoopbackTcpServer _server;
    private readonly string _root;
    private readonly bool _move;
    private readonly long _headSizeOffset;

    /// <param name="headSizeOffset">Added to the size HEAD reports, to play a server that lost or mangled bytes.</param>
    public NaiveDavServer(string root, bool supportsMove, long headSizeOffset = 0)
    {
        _root = root;
        _move = supportsMove;
        _headSizeOffset = headSizeOffset;
        Directory.CreateDirectory(root);
        _server = new LoopbackTcpServer((client, _, stop) => HandleAsync(client, stop));
    }

    public int Port => _server.Port;

    public List<string> Requests { get; } = [];

    public string PathOf(string relative) => Path.Combine(_root, relative);

    public void Dispose() => _server.Dispose();

    private async Task HandleAsync(TcpClient client, CancellationToken stop)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var (method, path, headers) = await ReadHeadAsync(stream);
                lock (Requests)
                {
                    Requests.Add($"{method} {path}");
                }

                var file = PathOf(Uri.UnescapeDataString(path.TrimStart('/')));
                switch (method)
                {
                    case "PUT":
                        if (headers.TryGetValue("expect", out var expect) && expect.Equals("100-continue", StringComparison.OrdinalIgnoreCase))
                        {
                            await WriteAsync(stream, "HTTP/1.1 100 Continue\r\n\r\n");
                        }

                        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                        var length = long.Parse(headers["content-length"]);
                        await using (var output = new FileStream(file, FileMode.Create, FileAccess.Write))
                        {
                            var buffer = new byte[16 * 1024];
                            for (long left = length; left > 0;)
                            {
                                var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), stop);
                                if (read == 0)
                                {
                                    return;
                                }

                                await output.WriteAsync(buffer.AsMemory(0, read));
                                await output.FlushAsync();
                                left -= read;
                            }
                        }

                        await RespondAsync(stream, "201 Created");
                        break;
                    case "MOVE" when _move:
                        var destination = PathOf(Uri.UnescapeDataString(new Uri(headers["destination"]).AbsolutePath.TrimStart('/')));
                        File.Move(file, destination, overwrite: true);
                        await RespondAsync(stream, "201 Created");
                        break;
                    case "HEAD" when File.Exists(file):
                        await RespondAsync(stream, "200 OK", new FileInfo(file).Length + _headSizeOffset);
                        break;
                    case "DELETE" when File.Exists(file):
                        File.Delete(file);
                        await RespondAsync(stream, "204 No Content");
                        break;
                    case "HEAD" or "DELETE":
                        await RespondAsync(stream, "404 Not Found");
                        break;
                    default:
                        await RespondAsync(stream, "405 Method Not Allowed");
                        break;
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private static async Task<(string Method, string Path, Dictionary<string, string> Headers)> ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        // Byte by byte so the body that follows stays unread; bounded so a bad client cannot keep it looping.
        while (head.Length < 16 * 1024 && !head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one) == 0)
            {
                throw new IOException("closed before the request head ended");
            }

            head.Append((char)one[0]);
        }

        var lines = head.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var start = lines[0].Split(' ');
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        return (start[0], start[1], headers);
    }

    private static Task RespondAsync(NetworkStream stream, string status, long length = 0) =>
        WriteAsync(stream, $"HTTP/1.1 {status}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n");

    private static async Task WriteAsync(NetworkStream stream, string text) => await stream.WriteAsync(Encoding.ASCII.GetBytes(text));
}
