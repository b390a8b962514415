using System.Net;
using System.Security.Cryptography.X509Certificates;
using Lading.Bootstrap;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Bootstrap;

/// <summary>The rendered configs run by the real servers on loopback: the registry over TLS with the generated material, nginx with its server block.</summary>
public sealed class SiteServingTests : IDisposable
{
    private readonly TempFolder _folder = new("lading-site");

    public void Dispose() => _folder.Dispose();

    [SkippableFact]
    public async Task The_registry_serves_over_tls_with_the_generated_certificate_and_refuses_pushes()
    {
        var registry = Requires.Tool("docker-registry", "docker-registry");
        var site = new SiteOptions("offline.site.test", ["127.0.0.1"]);
        var material = SiteTls.Generate(site, DateTimeOffset.UtcNow);
        material.WriteTo(_folder.Combine("tls"));
        Directory.CreateDirectory(_folder.Combine("images"));
        var port = FreePort.Next();
        var config = _folder.Write("registry.yml", SiteCompose.RegistryConfig(_folder.Combine("images"), _folder.Combine("tls"), $"127.0.0.1:{port}"));
        using var server = new BackgroundProcess(registry, "serve", config);
        await FreePort.WaitUntilListening(port, TimeSpan.FromSeconds(20), () => server.Output);
        using var ca = X509Certificate2.CreateFromPem(material.CaCertificatePem!);
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, chain, errors) =>
            {
                chain!.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                var nameOk = (errors & System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
                return nameOk && chain.Build(certificate!);
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}/") };

        using var root = await client.GetAsync("v2/");
        using var push = await client.PostAsync("v2/library/evil/blobs/uploads/", new ByteArrayContent([]));

        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, push.StatusCode);
    }

    [SkippableFact]
    public async Task Nginx_lists_and_serves_files_and_repos_and_nothing_else()
    {
        var nginx = Requires.Tool("nginx", "nginx");
        _folder.Write("html/files/dl.k8s.io/release/v1.31.2/bin/linux/amd64/kubectl", "kubectl");
        _folder.Write("html/repos/debian-12/Release", "Origin: site\n");
        _folder.Write("html/secret.txt", "not served");
        var port = FreePort.Next();
        var server = _folder.Write("server.conf", SiteCompose.NginxConfig($"127.0.0.1:{port}", _folder.Combine("html")));
        var temp = _folder.Combine("temp");
        var conf = _folder.Write("nginx.conf", $$"""
            daemon off;
            master_process off;
            pid {{_folder.Combine("nginx.pid")}};
            error_log stderr;
            events {
            }
            http {
                access_log off;
                client_body_temp_path {{temp}}/body;
                proxy_temp_path {{temp}}/proxy;
                fastcgi_temp_path {{temp}}/fastcgi;
                uwsgi_temp_path {{temp}}/uwsgi;
                scgi_temp_path {{temp}}/scgi;
                include {{server}};
            }

            """);
        Directory.CreateDirectory(temp);
        using var process = new BackgroundProcess(nginx, "-p", _folder.Path, "-e", "stderr", "-c", conf);
        await FreePort.WaitUntilListening(port, TimeSpan.FromSeconds(20), () => process.Output);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        Assert.Equal("kubectl", await client.GetStringAsync("files/dl.k8s.io/release/v1.31.2/bin/linux/amd64/kubectl"));
        Assert.Contains("Release", await client.GetStringAsync("repos/debian-12/"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("secret.txt")).StatusCode);
    }
}
