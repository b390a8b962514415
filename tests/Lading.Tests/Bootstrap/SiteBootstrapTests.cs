using Lading.Bootstrap;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Bootstrap;

/// <summary>Writing every bootstrap asset into a package folder in one call.</summary>
public sealed class SiteBootstrapTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();
    private readonly SiteOptions _site = new("offline.site.test", ["10.20.0.5"]);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_offline_resources_package_gets_every_site_file_and_an_executable_install_script()
    {
        var archives = new SiteArchives("files/nerdctl-full.tar.gz", "bootstrap/nginx.oci.tar", "bootstrap/registry.oci.tar");

        var written = SiteBootstrap.WriteTo(_folder.Path, _site, archives, SiteTls.Generate(_site, Now));

        Assert.Equal(
            ["compose.yaml", "bootstrap/nginx.conf", "bootstrap/registry.yml", "endpoints.yaml", "install.sh", "tls/ca.pem", "tls/server.pem", "tls/server-key.pem"],
            written);
        Assert.All(written, f => Assert.True(File.Exists(_folder.Combine(f)), f));
        Assert.True(File.GetUnixFileMode(_folder.Combine("install.sh")).HasFlag(UnixFileMode.UserExecute));
        Assert.False(File.Exists(_folder.Combine("tls", "ca-key.pem")));
        Assert.Equal(SiteCompose.RegistryConfig(), File.ReadAllText(_folder.Combine("bootstrap/registry.yml")));
    }

    [Fact]
    public void Supplied_tls_without_a_ca_writes_no_ca_file()
    {
        SiteTls.Generate(_site, Now).WriteTo(_folder.Combine("supplied"));
        var supplied = SiteTls.FromFiles(_site, _folder.Combine("supplied", "server.pem"), _folder.Combine("supplied", "server-key.pem"));

        var written = SiteBootstrap.WriteTo(_folder.Combine("package"), _site, new SiteArchives("files/n.tgz", "b/n.tar", "b/r.tar"), supplied);

        Assert.DoesNotContain("tls/ca.pem", written);
        Assert.False(File.Exists(_folder.Combine("package", "tls", "ca.pem")));
        Assert.DoesNotContain("ca.pem", File.ReadAllText(_folder.Combine("package", "install.sh")));
        Assert.DoesNotContain("caCertificate", File.ReadAllText(_folder.Combine("package", "endpoints.yaml")));
    }

    [Fact]
    public void The_kubespray_package_gets_an_inventory_a_cluster_config_and_an_executable_install_script()
    {
        var written = KubesprayPackageFiles.WriteTo(_folder.Path, _site, "offline.site.test:5000/kubespray:v2.26.0", "images/kubespray.oci.tar");

        Assert.Equal(["inventory/hosts.yaml", "inventory/group_vars/all/offline.yml", "install.sh"], written);
        Assert.Equal(KubesprayPackageFiles.InventorySample(), File.ReadAllText(_folder.Combine("inventory/hosts.yaml")));
        Assert.True(File.GetUnixFileMode(_folder.Combine("install.sh")).HasFlag(UnixFileMode.OtherExecute));
    }
}
