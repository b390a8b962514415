namespace Lading.Bootstrap;

/// <summary>Writes the site bootstrap into an offline-resources package folder: site.yaml, pre-filled, and install.sh.</summary>
public static class SiteBootstrap
{
    /// <summary>The files written, relative to <paramref name="packageRoot"/>, in a fixed order; install.sh is executable.</summary>
    public static IReadOnlyList<string> WriteTo(string packageRoot, SiteOptions site, SiteArchives archives)
    {
        var written = new List<string>();
        void Write(string relative, string text)
        {
            var path = Path.Combine(packageRoot, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
            written.Add(relative);
        }

        Write(SiteFiles.SiteConfig, site.ToYaml());
        Write(SiteFiles.InstallScript, SiteInstallScript.Render(site, archives));
        MakeExecutable(Path.Combine(packageRoot, SiteFiles.InstallScript));
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
