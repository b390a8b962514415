using System.Net;
using System.Net.Sockets;
using Lading.Images.Registry;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Registry;

/// <summary>
/// Registries reached by name (registry.test, sent to 127.0.0.1): https is checked unless the registry is listed as
/// insecure, in which case a self-signed certificate is accepted, and plain http is used when it speaks no TLS.
/// </summary>
public sealed class InsecureRegistryTests(PopulatedRegistry registry) : IClassFixture<PopulatedRegistry>
{
    private const string Name = "registry.test";

    [SkippableFact]
    public async Task Insecure_registry_with_a_self_signed_certificate_is_used_over_https()
    {
        await using var tls = new TlsProxy(registry.Server.Port, Name);
        var log = new LogLines();
        using var client = Client(log, $"{Name}:{tls.Port}");

        var digest = await client.ResolveAsync(new RegistryRepository($"{Name}:{tls.Port}", "library/plain"), "1.0", CancellationToken.None);

        Assert.Equal(registry.Docker.Digest, digest);
        Assert.True(tls.Handshakes >= 1);
        Assert.DoesNotContain(log.Lines, l => l.Contains("plain http"));
    }

    [SkippableFact]
    public async Task Insecure_registry_without_tls_is_used_over_plain_http()
    {
        var log = new LogLines();
        var host = $"{Name}:{registry.Server.Port}";
        using var client = Client(log, host);

        var pulled = await client.PullAsync(new RegistryRepository(host, "library/oci"), "2.0", new FolderBlobStore(Path.Combine(Path.GetTempPath(), $"lading-insecure-{Guid.NewGuid():N}")), PlatformSelection.All, CancellationToken.None);

        Assert.Equal(registry.Oci.Digest, pulled.Top.Digest);
        Assert.Equal([$"{host} does not answer https; using plain http, as it is listed as insecure"], log.Lines);
    }

    [SkippableFact]
    public async Task Untrusted_certificate_of_a_registry_not_listed_as_insecure_is_a_clear_error_at_once()
    {
        await using var tls = new TlsProxy(registry.Server.Port, Name);
        var host = $"{Name}:{tls.Port}";
        using var client = Client(new LogLines());

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            client.ResolveAsync(new RegistryRepository(host, "library/plain"), "1.0", CancellationToken.None));

        Assert.StartsWith($"The TLS connection to {host} failed for library/plain:1.0 (", error.Message);
        Assert.EndsWith($"add the registry's CA to this machine's trusted certificates, or list {host} as an insecure registry.", error.Message);
        Assert.Equal(1, tls.Connections);
    }

    private static RegistryClient Client(LogLines log, params string[] insecure) => new(
        new RegistryClientOptions { InsecureRegistries = insecure, Log = log.Add, RetryBaseDelay = TimeSpan.FromMilliseconds(10) },
        handler => handler.ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        });
}
