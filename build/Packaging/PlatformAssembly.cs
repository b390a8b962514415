using System.Formats.Tar;
using Lading.Images;

namespace Lading.Packaging;

/// <summary>What a platform or hotfix package takes from the release repo besides charts and images, and what a hotfix leaves out.</summary>
public static class PlatformAssembly
{
    /// <summary>
    /// Copies scripts/, configs/ and version.yml from the release files into the package, with load-images.sh, the
    /// install.sh Lading writes and the tables it reads. A platform keeps the release's own install.sh as
    /// install-charts.sh, which install.sh runs; a hotfix installs its charts with install.sh alone.
    /// </summary>
    public static void CopyReleaseFiles(PackageBuild build, PlatformSite site)
    {
        Directory.CreateDirectory(build.Staging);
        foreach (var folder in Release.ReleaseLayout.CopiedFolders)
        {
            CopyTree(Path.Combine(build.Source, folder), Path.Combine(build.Staging, folder));
        }

        CopyFile(Path.Combine(build.Source, Release.VersionFile.FileName), Path.Combine(build.Staging, Release.VersionFile.FileName));
        if (build.Kind == PackageKind.Platform)
        {
            CopyFile(Path.Combine(build.Source, Release.ReleaseLayout.InstallScript), Path.Combine(build.Staging, PlatformSiteFiles.ReleaseInstaller));
        }

        site.WriteTo(build);
        PackageScripts.WriteScript(Path.Combine(build.Staging, PackageScripts.LoadImages), PackageScripts.LoadImagesScript());
    }

    /// <summary>Removes from the package's registry tree every blob the base package already delivered; returns how many.</summary>
    public static int RemoveBlobsOf(string basePackage, PackageBuild build)
    {
        var inBase = new HashSet<string>(StringComparer.Ordinal);
        using (var stream = File.OpenRead(basePackage))
        using (var reader = new TarReader(stream))
        {
            while (reader.GetNextEntry() is { } entry)
            {
                var parts = entry.Name.Split('/');
                var at = Array.IndexOf(parts, "blobs");
                if (at > 0 && parts.Length == at + 5 && parts[at + 1] == "sha256" && parts[^1] == "data")
                {
                    inBase.Add(parts[at + 3]);
                }
            }
        }

        var blobs = Path.Combine(build.ImagesFolder, PackageImages.RegistryFolder, "docker", "registry", "v2", "blobs", "sha256");
        var removed = 0;
        if (Directory.Exists(blobs))
        {
            foreach (var data in Directory.GetFiles(blobs, "data", SearchOption.AllDirectories))
            {
                if (inBase.Contains(Path.GetFileName(Path.GetDirectoryName(data)!)))
                {
                    File.Delete(data);
                    Directory.Delete(Path.GetDirectoryName(data)!);
                    removed++;
                }
            }
        }

        build.BlobsInBase = removed;
        return removed;
    }

    private static void CopyFile(string from, string to)
    {
        if (!File.Exists(from))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(from, to, overwrite: true);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(to, File.GetUnixFileMode(from));
        }
    }

    private static void CopyTree(string from, string to)
    {
        if (!Directory.Exists(from))
        {
            return;
        }

        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            if (new FileInfo(file).LinkTarget is not null)
            {
                throw new PackageException($"{file}: symbolic links are not packaged; commit the file itself");
            }

            CopyFile(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
