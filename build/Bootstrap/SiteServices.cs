using System.Text;

namespace Lading.Bootstrap;

/// <summary>
/// The configuration of the site's two services, as install.sh writes it into the data folder: nginx serving files/
/// and repos/ over HTTPS, and a stock registry serving the registry storage read-only over HTTPS, both with the site's
/// certificate. The data is mounted read-only: serving never changes it.
/// </summary>
public static class SiteServices
{
    public const string NginxRoot = "/usr/share/nginx/html";

    public const string NginxConfigInContainer = "/etc/nginx/conf.d/default.conf";

    public const string NginxTlsInContainer = "/etc/nginx/tls";

    public const string RegistryRoot = "/var/lib/registry";

    public const string RegistryConfigInContainer = "/etc/docker/registry/config.yml";

    public const string RegistryTlsInContainer = "/etc/docker/registry/tls";

    public const string ServerCertificate = "server.pem";

    public const string ServerKey = "server-key.pem";

    public const string CaCertificate = "ca.pem";

    /// <summary>nginx's server block: directory listings of files/ and repos/ over TLS, nothing else.</summary>
    /// <param name="listen">What nginx listens on: <c>10.0.0.5:8443</c>, <c>[::]:8443</c>, or shell variables install.sh fills.</param>
    public static string NginxConfig(string listen, string root = NginxRoot, string tlsFolder = NginxTlsInContainer)
    {
        var conf = new StringBuilder();
        conf.Append("server {\n");
        conf.Append("    listen ").Append(listen).Append(" ssl;\n");
        conf.Append("    server_name _;\n");
        conf.Append("    ssl_certificate ").Append(tlsFolder).Append('/').Append(ServerCertificate).Append(";\n");
        conf.Append("    ssl_certificate_key ").Append(tlsFolder).Append('/').Append(ServerKey).Append(";\n");
        conf.Append("    root ").Append(root).Append(";\n");
        conf.Append("    default_type application/octet-stream;\n");
        conf.Append("    autoindex on;\n");
        conf.Append("    location /files/ {\n    }\n");
        conf.Append("    location /repos/ {\n    }\n");
        conf.Append("    location / {\n        return 404;\n    }\n");
        conf.Append("}\n");
        return conf.ToString();
    }

    /// <summary>
    /// The registry's configuration: the storage served read-only (no upload purging, which would write) and no cache,
    /// so what a later package merges into the storage is served at once.
    /// </summary>
    /// <param name="listen">The registry's address: <c>0.0.0.0:5000</c>, or shell variables install.sh fills.</param>
    public static string RegistryConfig(string listen, string root = RegistryRoot, string tlsFolder = RegistryTlsInContainer)
    {
        var yaml = new StringBuilder();
        yaml.Append("version: 0.1\n");
        yaml.Append("log:\n  level: info\n  formatter: text\n");
        yaml.Append("storage:\n");
        yaml.Append("  filesystem:\n    rootdirectory: ").Append(root).Append('\n');
        yaml.Append("  delete:\n    enabled: false\n");
        yaml.Append("  maintenance:\n");
        yaml.Append("    uploadpurging:\n      enabled: false\n");
        yaml.Append("    readonly:\n      enabled: true\n");
        yaml.Append("http:\n");
        yaml.Append("  addr: \"").Append(listen).Append("\"\n");
        yaml.Append("  tls:\n");
        yaml.Append("    certificate: ").Append(tlsFolder).Append('/').Append(ServerCertificate).Append('\n');
        yaml.Append("    key: ").Append(tlsFolder).Append('/').Append(ServerKey).Append('\n');
        yaml.Append("  headers:\n    X-Content-Type-Options: [nosniff]\n");
        return yaml.ToString();
    }
}
