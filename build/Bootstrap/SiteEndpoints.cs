using System.Text;

namespace Lading.Bootstrap;

/// <summary>The endpoints file shipped with offline-resources: what the site serves, read by people and by the Kubespray package's config.</summary>
public static class SiteEndpoints
{
    public static string Render(SiteOptions site, bool caShipped = true)
    {
        var yaml = new StringBuilder();
        yaml.Append("# What this offline-resources site serves once install.sh has run.\n");
        yaml.Append("hostname: ").Append(site.Hostname).Append('\n');
        yaml.Append("addresses:");
        if (site.Addresses.Count == 0)
        {
            yaml.Append(" []\n");
        }
        else
        {
            yaml.Append('\n');
            foreach (var address in site.Addresses)
            {
                yaml.Append("  - \"").Append(address).Append("\"\n");
            }
        }

        yaml.Append("files: ").Append(site.FilesUrl).Append('\n');
        yaml.Append("repos: ").Append(site.ReposUrl).Append('\n');
        yaml.Append("registry: \"").Append(site.Registry).Append("\"\n");
        yaml.Append("registryUrl: https://").Append(site.Registry).Append('\n');
        if (caShipped)
        {
            yaml.Append("caCertificate: ").Append(site.TlsFolder).Append('/').Append(SiteFiles.CaCertificate).Append('\n');
        }

        return yaml.ToString();
    }
}
