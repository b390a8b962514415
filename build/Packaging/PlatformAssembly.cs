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
        try
        {
            // Every file goes through the one checked copy: a link leaving the release repo (install.sh -> /etc/passwd) is refused.
            foreach (var folder in Release.ReleaseLayout.CopiedFolders)
            {
                ContainedFiles.CopyFolder(build.Source, folder, Path.Combine(build.Staging, folder));
            }

            ContainedFiles.CopyFile(build.Source, Release.VersionFile.FileName, Path.Combine(build.Staging, Release.VersionFile.FileName));
            if (build.Kind == PackageKind.Platform)
            {
                ContainedFiles.CopyFile(build.Source, Release.ReleaseLayout.InstallScript, Path.Combine(build.Staging, PlatformSiteFiles.ReleaseInstaller));
            }
        }
        catch (ContainedFileException e)
        {
            throw new PackageException($"The release repo's files cannot be packaged: {e.Message} Commit the file itself, or a link inside the repo.");
        }

        site.WriteTo(build);
        PackageScripts.WriteScript(Path.Combine(build.Staging, PackageScripts.LoadImages), PackageScripts.LoadImagesScript());
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
}
