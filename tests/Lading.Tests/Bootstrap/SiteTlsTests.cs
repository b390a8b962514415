using System.Net;
using System.Security.Cryptography.X509Certificates;
using Lading.Bootstrap;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Bootstrap;

/// <summary>The registry's TLS material: generated with .NET and accepted by openssl, or supplied and checked.</summary>
public sealed class SiteTlsTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();
    private readonly SiteOptions _site = new("offline.site.test", ["10.20.0.5", "127.0.0.1"]);

    public void Dispose() => _folder.Dispose();

    [SkippableFact]
    public void Openssl_verifies_the_server_certificate_against_the_generated_ca()
    {
        var openssl = Requires.Tool("openssl", "openssl");
        SiteTls.Generate(_site, DateTimeOffset.UtcNow).WriteTo(_folder.Path);

        var result = Shell.Run(openssl, ["verify", "-CAfile", _folder.Combine("ca.pem"), "-purpose", "sslserver", _folder.Combine("server.pem")]);

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal($"{_folder.Combine("server.pem")}: OK\n", result.Output);
    }

    [SkippableFact]
    public void Openssl_refuses_the_server_certificate_against_another_ca()
    {
        var openssl = Requires.Tool("openssl", "openssl");
        SiteTls.Generate(_site, DateTimeOffset.UtcNow).WriteTo(_folder.Combine("one"));
        SiteTls.Generate(_site, DateTimeOffset.UtcNow).WriteTo(_folder.Combine("two"));

        var result = Shell.Run(openssl, ["verify", "-CAfile", _folder.Combine("two", "ca.pem"), _folder.Combine("one", "server.pem")]);

        Assert.NotEqual(0, result.ExitCode);
    }

    [Fact]
    public void The_server_certificate_names_the_hostname_and_every_address()
    {
        var material = SiteTls.Generate(_site, Now);
        using var server = X509Certificate2.CreateFromPem(material.ServerCertificatePem);

        var names = server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["offline.site.test"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Parse("10.20.0.5"), IPAddress.Parse("127.0.0.1")], names.EnumerateIPAddresses());
        Assert.Equal(Now.AddHours(-1).UtcDateTime, server.NotBefore.ToUniversalTime());
        Assert.Equal(Now.AddDays(3650).UtcDateTime, server.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void The_server_key_is_readable_by_its_owner_only_and_the_ca_key_stays_out_of_the_folder()
    {
        SiteTls.Generate(_site, Now).WriteTo(_folder.Path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_folder.Combine("server-key.pem")));
        Assert.Equal(["ca.pem", "server-key.pem", "server.pem"], Directory.GetFiles(_folder.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Supplied_material_is_accepted_when_the_key_matches_and_the_hostname_is_named()
    {
        SiteTls.Generate(_site, Now).WriteTo(_folder.Path);

        var material = SiteTls.FromFiles(_site, _folder.Combine("server.pem"), _folder.Combine("server-key.pem"), _folder.Combine("ca.pem"));

        Assert.Equal(File.ReadAllText(_folder.Combine("server.pem")), material.ServerCertificatePem);
        Assert.Null(material.CaKeyPem);
    }

    [Fact]
    public void A_supplied_key_of_another_certificate_is_refused_naming_the_key_file()
    {
        SiteTls.Generate(_site, Now).WriteTo(_folder.Combine("one"));
        SiteTls.Generate(_site, Now).WriteTo(_folder.Combine("two"));

        var error = Assert.Throws<BootstrapException>(() => SiteTls.FromFiles(_site, _folder.Combine("one", "server.pem"), _folder.Combine("two", "server-key.pem")));

        Assert.Equal(_folder.Combine("two", "server-key.pem"), error.Place);
    }

    [Fact]
    public void A_supplied_certificate_for_another_host_is_refused()
    {
        SiteTls.Generate(new SiteOptions("other.site.test"), Now).WriteTo(_folder.Path);

        var error = Assert.Throws<BootstrapException>(() => SiteTls.FromFiles(_site, _folder.Combine("server.pem"), _folder.Combine("server-key.pem")));

        Assert.Contains("offline.site.test", error.Message);
    }
}
