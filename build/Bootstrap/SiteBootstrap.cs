namespace Lading.Bootstrap;

/// <summary>Writes the whole site bootstrap into an offline-resources package folder: compose, server configs, TLS, install.sh, endpoints.</summary>
public static class SiteBootstrap
{
    /// <summary>The files written, relative to <paramref name="packageRoot"/>, in a fixed order; install.sh is executable.</summary>
    public static IReadOnlyList<string> WriteTo(string packageRoot, SiteOptions site, SiteArchives archives, SiteTlsMaterial tls)
    {
        var written = new List<string>();
        void Write(string relative, string text)
        {
            var path = Path.Combine(packageRoot, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
            written.Add(relative);
        }

        Write(SiteFiles.Compose, SiteCompose.Render(site));
        Write(SiteFiles.NginxConfig, SiteCompose.NginxConfig());
        Write(SiteFiles.RegistryConfig, SiteCompose.RegistryConfig());
        Write(SiteFiles.Endpoints, SiteEndpoints.Render(site, caShipped: tls.CaCertificatePem is not null));
        Write(SiteFiles.InstallScript, SiteInstallScript.Render(site, archives, caShipped: tls.CaCertificatePem is not null));
        MakeExecutable(Path.Combine(packageRoot, SiteFiles.InstallScript));

        tls.WriteTo(Path.Combine(packageRoot, site.TlsFolder));
        written.AddRange(new[] { tls.CaCertificatePem is null ? null : SiteFiles.CaCertificate, SiteFiles.ServerCertificate, SiteFiles.ServerKey }
            .OfType<string>().Select(name => $"{site.TlsFolder}/{name}"));
        return written;
    }

    internal static void MakeExecutable(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
    }
}
