using Lading.Bootstrap;
using YamlDotNet.RepresentationModel;

namespace Lading.Tests.Bootstrap;

/// <summary>site.yaml as the package ships it and as the build reads a given one, and the services' configuration install.sh writes.</summary>
public sealed class SiteOptionsTests
{
    private readonly SiteOptions _site = new("offline.site.test", ["10.20.0.5"], filesPort: 8081, registryPort: 5443);

    private static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static YamlNode At(YamlNode node, params string[] keys) =>
        keys.Aggregate(node, (current, key) => ((YamlMappingNode)current)[key]);

    [Fact]
    public void The_shipped_site_yaml_holds_every_key_with_what_it_means()
    {
        Assert.Equal(
            """
            # The offline-resources site. Edit it, then run: bash install.sh (again after any change).
            # The DNS name nodes reach the site by; it is in the site's TLS certificate.
            hostname: offline.site.test
            # The site's IP addresses, also in the certificate; the first goes into the nodes' /etc/hosts.
            addresses: [10.20.0.5]
            # Where nginx and the registry listen: 0.0.0.0 is every address of this host.
            bindAddress: 0.0.0.0
            # nginx serves files/ and repos/ over HTTPS on this port; the registry serves images on the other.
            filesPort: 8081
            registryPort: 5443
            # What the site serves, and its TLS material; install.sh --uninstall keeps it.
            dataDir: /var/lib/offline-resources
            # podman, nerdctl, or auto: podman when installed, else nerdctl (installed from the package when missing).
            runtime: auto

            """,
            _site.ToYaml());
    }

    [Fact]
    public void A_site_yaml_reads_back_as_written_and_in_block_style()
    {
        var site = _site with { BindAddress = "10.20.0.5", DataDir = "/srv/offline", Runtime = SiteRuntime.Podman };

        var read = SiteOptions.Parse(site.ToYaml(), "site.yaml");
        var block = SiteOptions.Parse("hostname: a.test\naddresses:\n  - 10.0.0.1\n  - fd00::5\nruntime: nerdctl\n", "site.yaml");

        Assert.Equal(site.ToYaml(), read.ToYaml());
        Assert.Equal(["10.0.0.1", "fd00::5"], block.Addresses.Select(a => a.ToString()));
        Assert.Equal(SiteRuntime.Nerdctl, block.Runtime);
        Assert.Equal((8443, 5000, "/var/lib/offline-resources"), (block.FilesPort, block.RegistryPort, block.DataDir));
        Assert.Equal(("https://a.test:8443/files", "https://a.test:8443/repos", "a.test:5000"), (block.FilesUrl, block.ReposUrl, block.Registry));
    }

    [Fact]
    public void Every_bad_value_of_a_site_yaml_is_named_by_its_key_at_once()
    {
        var error = Assert.Throws<BootstrapException>(() => SiteOptions.Parse(
            """
            hostname: offline_site
            addresses: [10.0.0.300, 10.0.0.5]
            bindAddress: everywhere
            filesPort: 70000
            registryPort: x
            dataDir: srv/offline
            runtime: docker
            colour: blue

            """,
            "/srv/site.yaml"));

        Assert.Equal("/srv/site.yaml", error.Place);
        Assert.Equal(
            """
            /srv/site.yaml: 8 problem(s):
              colour: not a site.yaml key (hostname, addresses, bindAddress, filesPort, registryPort, dataDir, runtime)
              registryPort: 'x' is not a TCP port (1-65535)
              hostname: 'offline_site' is not a DNS name
              addresses: '10.0.0.300' is not an IP address
              bindAddress: 'everywhere' is not an IP address
              filesPort: 70000 is not a TCP port (1-65535)
              dataDir: 'srv/offline' is not an absolute folder of letters, digits, '.', '-', '_' and '/'
              runtime: 'docker' is not auto, podman or nerdctl
            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            error.Message.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void A_build_ships_the_site_yaml_it_is_given_or_one_for_its_host_and_addresses()
    {
        using var folder = new Lading.Tests.Fixtures.TempFolder();
        var given = folder.Write("acme.yaml", "hostname: offline.acme.test\naddresses: [10.1.0.5]\nregistryPort: 5443\nruntime: podman\n");

        Assert.Equal("offline.acme.test:5443", SiteOptions.From(given, "unused.test", []).Registry);
        Assert.Equal(SiteRuntime.Podman, SiteOptions.From(given, "unused.test", []).Runtime);
        Assert.Equal(new SiteOptions("offline.site.test", ["10.20.0.5"]).ToYaml(), SiteOptions.From(null, "offline.site.test", ["10.20.0.5"]).ToYaml());
        Assert.Equal(folder.Combine("none.yaml"), Assert.Throws<BootstrapException>(() => SiteOptions.From(folder.Combine("none.yaml"), "a.test", [])).Place);
    }

    [Theory]
    [InlineData("addresses: [10.0.0.5]\n", "hostname: missing")]
    [InlineData("hostname: a.test\naddresses: 10.0.0.5\n", "addresses: a list is expected")]
    [InlineData("hostname: a.test\nfilesPort: 5000\n", "registryPort: nginx and the registry cannot both listen on 5000")]
    [InlineData("hostname: a.test\ndataDir: /srv/../etc\n", "dataDir: '/srv/../etc'")]
    public void A_site_yaml_without_a_host_name_or_with_clashing_values_is_refused(string yaml, string expected) =>
        Assert.Contains(expected, Assert.Throws<BootstrapException>(() => SiteOptions.Parse(yaml, "site.yaml")).Message);

    [Theory]
    [InlineData("offline_site")]
    [InlineData("-site.test")]
    [InlineData("site.test\nevil: true")]
    public void A_hostname_that_is_not_a_dns_name_is_refused(string hostname) =>
        Assert.Equal("hostname", Assert.Throws<BootstrapException>(() => new SiteOptions(hostname)).Place);

    [Fact]
    public void Addresses_must_be_ip_addresses_and_ports_must_differ()
    {
        Assert.Equal("addresses", Assert.Throws<BootstrapException>(() => new SiteOptions("a.test", ["10.0.0.300"])).Place);
        Assert.Equal("addresses", Assert.Throws<BootstrapException>(() => new SiteOptions("a.test", ["10"])).Place);
        Assert.Equal("registryPort", Assert.Throws<BootstrapException>(() => new SiteOptions("a.test", filesPort: 5000, registryPort: 5000)).Place);
        Assert.Equal("filesPort", Assert.Throws<BootstrapException>(() => new SiteOptions("a.test", filesPort: 0)).Place);
    }

    [Theory]
    [InlineData("../images")]
    [InlineData("/srv/images")]
    [InlineData("images/../../etc")]
    [InlineData("images dir")]
    [InlineData("images:/etc")]
    public void Package_folders_must_stay_inside_the_package(string folder) =>
        Assert.Equal("images folder", Assert.Throws<BootstrapException>(() => new SiteOptions("a.test") { ImagesFolder = folder }).Place);

    [Fact]
    public void Nginx_serves_only_files_and_repos_over_tls()
    {
        Assert.Equal(
            """
            server {
                listen 10.0.0.5:8443 ssl;
                server_name _;
                ssl_certificate /etc/nginx/tls/server.pem;
                ssl_certificate_key /etc/nginx/tls/server-key.pem;
                root /usr/share/nginx/html;
                default_type application/octet-stream;
                autoindex on;
                location /files/ {
                }
                location /repos/ {
                }
                location / {
                    return 404;
                }
            }

            """,
            SiteServices.NginxConfig("10.0.0.5:8443"));
    }

    [Fact]
    public void The_registry_config_is_read_only_over_tls_and_parses()
    {
        var config = Parse(SiteServices.RegistryConfig("0.0.0.0:5000"));

        Assert.Equal("true", At(config, "storage", "maintenance", "readonly", "enabled").ToString());
        Assert.Equal("false", At(config, "storage", "maintenance", "uploadpurging", "enabled").ToString());
        Assert.Equal("/var/lib/registry", At(config, "storage", "filesystem", "rootdirectory").ToString());
        Assert.Equal("0.0.0.0:5000", At(config, "http", "addr").ToString());
        Assert.Equal("/etc/docker/registry/tls/server.pem", At(config, "http", "tls", "certificate").ToString());
        Assert.Equal("/etc/docker/registry/tls/server-key.pem", At(config, "http", "tls", "key").ToString());
        // A cache would keep answering 404 for what a later package merges into the storage.
        Assert.False(((YamlMappingNode)At(config, "storage")).Children.ContainsKey("cache"));
    }
}
