using System.Net;
using System.Net.Sockets;
using System.Text;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Pipeline;

/// <summary>A registry that speaks plain http, reached over https because it is not listed as insecure.</summary>
public sealed class PlainHttpRegistryTests : IDisposable
{
    private readonly TempFolder _folder = new("lading-plain-http");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task CheckImages_says_once_that_the_registry_speaks_plain_http_and_names_the_option()
    {
        // 127.0.0.2 is loopback, yet not one of the names Lading speaks plain http to by itself.
        var listener = new TcpListener(IPAddress.Parse("127.0.0.2"), 0);
        listener.Start();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var connections = 0;
        var serving = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using var client = await listener.AcceptTcpClientAsync(stop.Token);
                    Interlocked.Increment(ref connections);
                    var stream = client.GetStream();
                    await stream.ReadAsync(new byte[4096], stop.Token);
                    await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"), stop.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException)
            {
            }
        });
        var registry = $"127.0.0.2:{((IPEndPoint)listener.LocalEndpoint).Port}";
        _folder.Write("images.list", "library/nginx:1.25.3\nlibrary/redis:7.2.4\nrelease/console:v1.0.0\n");

        var run = HostHarness.RunLading(_folder.Path, null, ["--target=CheckImages", "--images=images.list", $"--registry={registry}", "--output=out"]);
        await stop.CancelAsync();
        listener.Stop();
        await serving;

        Assert.Equal(1, run.ExitCode);
        var sentence = $"{registry} speaks plain http, not https: list it as an insecure registry (--insecure-registries={registry}, or registry.insecure in the recipe) to use it over http.";
        Assert.Contains($"No image could be checked: {sentence}", run.Output);
        // Said under the task that failed and in the build's last error, never once per image.
        var saying = run.Output.Split('\n').Where(l => l.Contains(sentence, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, saying.Count);
        Assert.Contains(saying, l => l.Contains("CheckImages failed in", StringComparison.Ordinal));
        Assert.DoesNotContain("are missing from", run.Output);
        // Each image's first handshake at most, and one plain-http probe per image that raced it: never a retry loop.
        Assert.InRange(connections, 2, 6);
    }
}
