using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Registry;

/// <summary>
/// Terminates TLS with a self-signed certificate on 127.0.0.1 and pipes the bytes to a plain http registry:
/// a stand-in for an internal registry whose CA this machine does not trust.
/// </summary>
public sealed class TlsProxy : IAsyncDisposable
{
    private readonly X509Certificate2 _certificate;
    private readonly LoopbackTcpServer _server;
    private int _handshakes;

    public TlsProxy(int upstreamPort, string hostName)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={hostName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(hostName);
        request.CertificateExtensions.Add(names.Build());
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _server = new LoopbackTcpServer((client, _, stop) => PipeAsync(client, upstreamPort, stop));
    }

    public int Port => _server.Port;

    /// <summary>Connections accepted, and how many of them completed a TLS handshake.</summary>
    public int Connections => _server.Connections;

    public int Handshakes => _handshakes;

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _certificate.Dispose();
    }

    private async Task PipeAsync(TcpClient client, int upstreamPort, CancellationToken stop)
    {
        using (client)
        {
            try
            {
                await using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(_certificate, clientCertificateRequired: false, checkCertificateRevocation: false);
                Interlocked.Increment(ref _handshakes);
                using var upstream = new TcpClient();
                await upstream.ConnectAsync(IPAddress.Loopback, upstreamPort, stop);
                var plain = upstream.GetStream();
                await Task.WhenAny(tls.CopyToAsync(plain, stop), plain.CopyToAsync(tls, stop));
            }
            catch (Exception)
            {
                // A client refusing the certificate, or closing, ends the pipe; nothing to report.
            }
        }
    }
}
