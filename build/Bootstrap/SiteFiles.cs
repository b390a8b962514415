namespace Lading.Bootstrap;

/// <summary>
/// Where the site's parts are: the bootstrap files in the offline-resources package, the folders of the data folder on
/// the site host, and the record install.sh leaves for the Kubespray package.
/// </summary>
public static class SiteFiles
{
    public const string InstallScript = "install.sh";

    public const string SiteConfig = SiteOptions.FileName;

    /// <summary>What install.sh records about the installed site (shell variables); the Kubespray package's load.sh reads it.</summary>
    public const string SiteRecord = "/etc/offline-resources/site.env";

    /// <summary>The data folder's parts: what nginx and the registry serve, the TLS material, the services' configuration.</summary>
    public const string DataFiles = "files";

    public const string DataRepos = "repos";

    public const string DataRegistry = "registry";

    public const string DataTls = "tls";

    public const string DataConfig = "config";
}
