namespace Lading.Bootstrap;

/// <summary>The file names of the site bootstrap inside the offline-resources package, shared by compose.yaml, install.sh and the endpoints file.</summary>
public static class SiteFiles
{
    public const string Compose = "compose.yaml";

    public const string InstallScript = "install.sh";

    public const string Endpoints = "endpoints.yaml";

    public const string NginxConfig = "bootstrap/nginx.conf";

    public const string RegistryConfig = "bootstrap/registry.yml";

    public const string CaCertificate = "ca.pem";

    public const string ServerCertificate = "server.pem";

    public const string ServerKey = "server-key.pem";
}
