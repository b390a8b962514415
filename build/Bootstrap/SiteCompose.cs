using System.Text;

namespace Lading.Bootstrap;

/// <summary>
/// The compose file `nerdctl compose` starts on a site: nginx serving files/ and repos/, and a stock registry serving
/// images/ (a registry storage tree) read-only over TLS. Every mount is read-only: the package is never changed by serving it.
/// </summary>
public static class SiteCompose
{
    public const string NginxRoot = "/usr/share/nginx/html";

    public const string RegistryRoot = "/var/lib/registry";

    public const string RegistryConfigInContainer = "/etc/docker/registry/config.yml";

    public const string RegistryTlsInContainer = "/etc/docker/registry/tls";

    public const int RegistryPortInContainer = 5000;

    public static string Render(SiteOptions site)
    {
        var yaml = new StringBuilder();
        yaml.Append("# The offline-resources site: nerdctl compose -f compose.yaml up -d\n");
        yaml.Append("name: ").Append(site.Project).Append('\n');
        yaml.Append("services:\n");
        yaml.Append("  files:\n");
        yaml.Append("    image: \"").Append(site.NginxImage).Append("\"\n");
        yaml.Append("    container_name: ").Append(site.Project).Append("-files\n");
        yaml.Append("    restart: always\n");
        yaml.Append("    ports:\n");
        yaml.Append("      - \"").Append(site.FilesPort).Append(":80\"\n");
        yaml.Append("    volumes:\n");
        Mount(yaml, site.FilesFolder, $"{NginxRoot}/files");
        Mount(yaml, site.ReposFolder, $"{NginxRoot}/repos");
        Mount(yaml, SiteFiles.NginxConfig, "/etc/nginx/conf.d/default.conf");
        yaml.Append("  registry:\n");
        yaml.Append("    image: \"").Append(site.RegistryImage).Append("\"\n");
        yaml.Append("    container_name: ").Append(site.Project).Append("-registry\n");
        yaml.Append("    restart: always\n");
        yaml.Append("    ports:\n");
        yaml.Append("      - \"").Append(site.RegistryPort).Append(':').Append(RegistryPortInContainer).Append("\"\n");
        yaml.Append("    volumes:\n");
        Mount(yaml, site.ImagesFolder, RegistryRoot);
        Mount(yaml, SiteFiles.RegistryConfig, RegistryConfigInContainer);
        Mount(yaml, site.TlsFolder, RegistryTlsInContainer);
        return yaml.ToString();
    }

    /// <summary>nginx's server block: directory listings of files/ and repos/, nothing else.</summary>
    public static string NginxConfig(string listen = "80", string root = NginxRoot)
    {
        var conf = new StringBuilder();
        conf.Append("server {\n");
        conf.Append("    listen ").Append(listen).Append(" default_server;\n");
        conf.Append("    server_name _;\n");
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
    /// The registry's configuration: the storage tree served read-only (no upload purging, which would write), over TLS.
    /// Paths default to where compose.yaml mounts them.
    /// </summary>
    public static string RegistryConfig(
        string root = RegistryRoot,
        string tlsFolder = RegistryTlsInContainer,
        string listen = ":5000")
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
        yaml.Append("    certificate: ").Append(tlsFolder).Append('/').Append(SiteFiles.ServerCertificate).Append('\n');
        yaml.Append("    key: ").Append(tlsFolder).Append('/').Append(SiteFiles.ServerKey).Append('\n');
        yaml.Append("  headers:\n    X-Content-Type-Options: [nosniff]\n");
        return yaml.ToString();
    }

    private static void Mount(StringBuilder yaml, string hostPath, string containerPath) =>
        yaml.Append("      - \"./").Append(hostPath).Append(':').Append(containerPath).Append(":ro\"\n");
}
