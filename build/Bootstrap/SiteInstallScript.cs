using System.Text;

namespace Lading.Bootstrap;

/// <summary>The offline-resources package's archives install.sh needs, as paths inside the package.</summary>
public sealed record SiteArchives
{
    public SiteArchives(string nerdctlFull, string nginxImage, string registryImage)
    {
        // Only install.sh names it, quoted: a files/<host>:<port>/ folder is fine here, unlike in compose mounts.
        NerdctlFull = SiteOptions.Relative(nerdctlFull, "nerdctl-full archive", colonAllowed: true);
        NginxImage = SiteOptions.Relative(nginxImage, "nginx image archive");
        RegistryImage = SiteOptions.Relative(registryImage, "registry image archive");
    }

    /// <summary>The nerdctl-full release tarball (containerd, CNI plugins, nerdctl), usually under files/.</summary>
    public string NerdctlFull { get; }

    /// <summary>OCI archives that `nerdctl load` takes, named as compose.yaml names the images.</summary>
    public string NginxImage { get; }

    public string RegistryImage { get; }
}

/// <summary>install.sh of the offline-resources package: installs nerdctl-full, loads the nginx and registry images, starts compose, prints the endpoints.</summary>
public static class SiteInstallScript
{
    public static string Render(SiteOptions site, SiteArchives archives, bool caShipped = true)
    {
        var tls = site.TlsFolder;
        var sh = new StringBuilder();
        sh.Append("#!/usr/bin/env bash\n");
        sh.Append("# Installs the offline-resources site on this host: nerdctl-full, then nginx (files, repos) and a registry (images) with nerdctl compose.\n");
        sh.Append("set -euo pipefail\n\n");
        sh.Append("here=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\"\n");
        sh.Append("cd \"$here\"\n\n");
        sh.Append("nerdctl_full=").Append(ShellText.Quote(archives.NerdctlFull)).Append('\n');
        sh.Append("nginx_image=").Append(ShellText.Quote(archives.NginxImage)).Append('\n');
        sh.Append("registry_image=").Append(ShellText.Quote(archives.RegistryImage)).Append('\n');
        sh.Append("project=").Append(ShellText.Quote(site.Project)).Append('\n');
        sh.Append("prefix=\"${PREFIX:-/usr/local}\"\n");
        sh.Append("# nerdctl looks for the CNI plugins nerdctl-full ships under its own prefix.\n");
        sh.Append("export CNI_PATH=\"$prefix/libexec/cni\"\n\n");
        sh.Append("if [ \"$(id -u)\" -ne 0 ]; then\n");
        sh.Append("  echo \"install.sh must run as root: it installs nerdctl-full under $prefix and starts containerd.\" >&2\n");
        sh.Append("  exit 1\n");
        sh.Append("fi\n\n");
        sh.Append("missing=0\n");
        sh.Append("for required in \"$nerdctl_full\" \"$nginx_image\" \"$registry_image\" ")
            .Append(SiteFiles.Compose).Append(' ').Append(SiteFiles.NginxConfig).Append(' ').Append(SiteFiles.RegistryConfig).Append(' ')
            .Append(ShellText.Quote($"{tls}/{SiteFiles.ServerCertificate}")).Append(' ').Append(ShellText.Quote($"{tls}/{SiteFiles.ServerKey}")).Append("; do\n");
        sh.Append("  if [ ! -e \"$required\" ]; then\n");
        sh.Append("    echo \"missing from the package: $required\" >&2\n");
        sh.Append("    missing=1\n");
        sh.Append("  fi\n");
        sh.Append("done\n");
        sh.Append("if [ \"$missing\" -ne 0 ]; then\n  exit 1\nfi\n\n");
        sh.Append("echo \"Installing nerdctl-full into $prefix\"\n");
        sh.Append("mkdir -p \"$prefix\"\n");
        sh.Append("tar -xzf \"$nerdctl_full\" -C \"$prefix\"\n");
        sh.Append("systemctl daemon-reload\n");
        sh.Append("systemctl enable --now containerd\n\n");
        sh.Append("echo \"Loading the nginx and registry images\"\n");
        sh.Append("\"$prefix/bin/nerdctl\" load -i \"$nginx_image\"\n");
        sh.Append("\"$prefix/bin/nerdctl\" load -i \"$registry_image\"\n\n");
        sh.Append("echo \"Starting nginx and the registry\"\n");
        sh.Append("\"$prefix/bin/nerdctl\" compose -f ").Append(SiteFiles.Compose).Append(" -p \"$project\" up -d\n\n");
        sh.Append("cat <<EOF\n");
        sh.Append("The offline resources are served:\n");
        sh.Append("  files:    ").Append(site.FilesUrl).Append('\n');
        sh.Append("  repos:    ").Append(site.ReposUrl).Append('\n');
        sh.Append("  registry: https://").Append(site.Registry).Append('\n');
        if (caShipped)
        {
            sh.Append("Clients trust the registry with $here/").Append(tls).Append('/').Append(SiteFiles.CaCertificate).Append(" (see ").Append(SiteFiles.Endpoints).Append(").\n");
        }
        else
        {
            sh.Append("The registry's certificate was supplied: clients trust its issuer (see ").Append(SiteFiles.Endpoints).Append(").\n");
        }

        sh.Append("EOF\n");
        return sh.ToString();
    }
}
