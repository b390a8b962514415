using Lading.Bootstrap;
using YamlDotNet.RepresentationModel;

namespace Lading.Tests.Bootstrap;

/// <summary>compose.yaml, nginx's server block, the registry's config and the endpoints file: exact text that parses.</summary>
public sealed class SiteComposeTests
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
    public void Compose_serves_files_repos_and_images_read_only_on_the_given_ports()
    {
        Assert.Equal(
            """
            # The offline-resources site: nerdctl compose -f compose.yaml up -d
            name: offline-resources
            services:
              files:
                image: "docker.io/library/nginx:1.27-alpine"
                container_name: offline-resources-files
                restart: always
                ports:
                  - "8081:80"
                volumes:
                  - "./files:/usr/share/nginx/html/files:ro"
                  - "./repos:/usr/share/nginx/html/repos:ro"
                  - "./bootstrap/nginx.conf:/etc/nginx/conf.d/default.conf:ro"
              registry:
                image: "docker.io/library/registry:2.8.3"
                container_name: offline-resources-registry
                restart: always
                ports:
                  - "5443:5000"
                volumes:
                  - "./images:/var/lib/registry:ro"
                  - "./bootstrap/registry.yml:/etc/docker/registry/config.yml:ro"
                  - "./tls:/etc/docker/registry/tls:ro"

            """,
            SiteCompose.Render(_site));
    }

    [Fact]
    public void Compose_parses_and_names_the_images_and_folders_given()
    {
        var site = new SiteOptions("offline.site.test")
        {
            NginxImage = "library/nginx:1.27",
            RegistryImage = "library/registry:2.8.3",
            ImagesFolder = "images/registry",
            Project = "site-a",
        };

        var compose = Parse(SiteCompose.Render(site));

        Assert.Equal("site-a", At(compose, "name").ToString());
        Assert.Equal("library/nginx:1.27", At(compose, "services", "files", "image").ToString());
        Assert.Equal("library/registry:2.8.3", At(compose, "services", "registry", "image").ToString());
        var volumes = ((YamlSequenceNode)At(compose, "services", "registry", "volumes")).Select(v => v.ToString()).ToList();
        Assert.Contains("./images/registry:/var/lib/registry:ro", volumes);
        Assert.All(volumes, v => Assert.EndsWith(":ro", v));
    }

    [Fact]
    public void The_registry_config_is_read_only_over_tls_and_parses()
    {
        var config = Parse(SiteCompose.RegistryConfig());

        Assert.Equal("true", At(config, "storage", "maintenance", "readonly", "enabled").ToString());
        Assert.Equal("false", At(config, "storage", "maintenance", "uploadpurging", "enabled").ToString());
        Assert.Equal("/var/lib/registry", At(config, "storage", "filesystem", "rootdirectory").ToString());
        Assert.Equal("/etc/docker/registry/tls/server.pem", At(config, "http", "tls", "certificate").ToString());
        Assert.Equal("/etc/docker/registry/tls/server-key.pem", At(config, "http", "tls", "key").ToString());
    }

    [Fact]
    public void The_endpoints_file_names_what_the_site_serves()
    {
        Assert.Equal(
            """
            # What this offline-resources site serves once install.sh has run.
            hostname: offline.site.test
            addresses:
              - "10.20.0.5"
            files: http://offline.site.test:8081/files/
            repos: http://offline.site.test:8081/repos/
            registry: "offline.site.test:5443"
            registryUrl: https://offline.site.test:5443
            caCertificate: tls/ca.pem

            """,
            SiteEndpoints.Render(_site));
        Assert.Equal("[]", At(Parse(SiteEndpoints.Render(new SiteOptions("a.test"))), "addresses").ToString().Replace(" ", string.Empty, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("offline_site")]
    [InlineData("-site.test")]
    [InlineData("site.test\nevil: true")]
    public void A_hostname_that_is_not_a_dns_name_is_refused(string hostname)
    {
        var error = Assert.Throws<BootstrapException>(() => new SiteOptions(hostname));
        Assert.Equal("site hostname", error.Place);
    }

    [Fact]
    public void Addresses_must_be_ip_addresses_and_ports_must_differ()
    {
        Assert.Equal("site addresses", Assert.Throws<BootstrapException>(() => new SiteOptions("a.test", ["10.0.0.300"])).Place);
        Assert.Equal("registry port", Assert.Throws<BootstrapException>(() => new SiteOptions("a.test", filesPort: 5000, registryPort: 5000)).Place);
        Assert.Equal("files port", Assert.Throws<BootstrapException>(() => new SiteOptions("a.test", filesPort: 0)).Place);
    }

    [Theory]
    [InlineData("../images")]
    [InlineData("/srv/images")]
    [InlineData("images/../../etc")]
    [InlineData("images dir")]
    [InlineData("images:/etc")]
    public void Package_folders_must_stay_inside_the_package(string folder)
    {
        var error = Assert.Throws<BootstrapException>(() => new SiteOptions("a.test") { ImagesFolder = folder });
        Assert.Equal("images folder", error.Place);
    }

    [Fact]
    public void Nginx_listens_inside_the_container_on_80_and_lists_only_files_and_repos()
    {
        Assert.Equal(
            """
            server {
                listen 80 default_server;
                server_name _;
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
            SiteCompose.NginxConfig());
    }
}
