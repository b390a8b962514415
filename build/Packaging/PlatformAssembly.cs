using Lading.Images;

namespace Lading.Packaging;

/// <summary>What a platform or hotfix package takes from the release repo besides charts and images, and what a hotfix leaves out.</summary>
public static class PlatformAssembly
{
    /// <summary>
    /// Copies scripts/, configs/ and version.yml from the release files into the package, with the release's install.sh
    /// (a hotfix keeps it as install-charts.sh behind a guard that refuses any base but its own) and load-images.sh.
    /// </summary>
    public static void CopyReleaseFiles(PackageBuild build)
    {
        Directory.CreateDirectory(build.Staging);
        try
        {
            // Every file goes through the one checked copy: a link leaving the release repo (install.sh -> /etc/passwd) is refused.
            foreach (var folder in Release.ReleaseLayout.CopiedFolders)
            {
                ContainedFiles.CopyFolder(build.Source, folder, Path.Combine(build.Staging, folder));
            }

            ContainedFiles.CopyFile(build.Source, Release.VersionFile.FileName, Path.Combine(build.Staging, Release.VersionFile.FileName));
            if (build.Kind == PackageKind.Hotfix)
            {
                ContainedFiles.CopyFile(build.Source, Release.ReleaseLayout.InstallScript, Path.Combine(build.Staging, "install-charts.sh"));
                WriteScript(Path.Combine(build.Staging, Release.ReleaseLayout.InstallScript), PackageScripts.HotfixGuard(build.BaseVersion!, build.Version));
            }
            else
            {
                ContainedFiles.CopyFile(build.Source, Release.ReleaseLayout.InstallScript, Path.Combine(build.Staging, Release.ReleaseLayout.InstallScript));
            }
        }
        catch (ContainedFileException e)
        {
            throw new PackageException($"The release repo's files cannot be packaged: {e.Message} Commit the file itself, or a link inside the repo.");
        }

        WriteScript(Path.Combine(build.Staging, PackageScripts.LoadImages), PackageScripts.LoadImagesScript());
    }

    /// <summary>Removes from the package's registry tree every blob the base package already delivered; returns how many.</summary>
    public static int RemoveBlobsOf(string basePackage, PackageBuild build)
    {
        var inBase = new HashSet<string>(StringComparer.Ordinal);
        PackageManifest.ForEachEntry(basePackage, entry =>
        {
            var parts = entry.Name.Split('/');
            var at = Array.IndexOf(parts, "blobs");
            if (at > 0 && parts.Length == at + 5 && parts[at + 1] == "sha256" && parts[^1] == "data")
            {
                inBase.Add(parts[at + 3]);
            }

            return true;
        });

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

    private static void WriteScript(string path, string text)
    {
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }
    }
}
