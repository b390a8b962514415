using Lading.Images;
using Lading.Release;

namespace Lading.Packaging;

/// <summary>
/// What install.sh of a platform or hotfix package knows of the release: its charts as version.yml installs them, the
/// image origin mapping and, for a hotfix, the images its base release holds and the charts it deletes.
/// </summary>
public sealed record PlatformSite(IReadOnlyList<AddonRow> Addons, OriginMapping Origin, PackageImageIndex? BaseImages, IReadOnlyList<DeletedChart> DeletedCharts)
{
    /// <param name="baseVersions">For a hotfix, the base release's version.yml: the namespace a deleted chart was installed in.</param>
    public static PlatformSite Of(PackageBuild build, OriginMapping origin, PackageImageIndex? baseImages, VersionFile? baseVersions)
    {
        // Read through the one checked path: a version.yml linked out of the release repo is refused, never read.
        VersionFile? versions;
        try
        {
            var versionFile = ContainedFiles.Resolve(build.Source, VersionFile.FileName);
            versions = File.Exists(versionFile) ? VersionFile.Load(ContainedFiles.RegularFile(build.Source, VersionFile.FileName)) : null;
        }
        catch (ContainedFileException e)
        {
            throw new PackageException($"The release repo's files cannot be packaged: {e.Message} Commit the file itself, or a link inside the repo.");
        }
        var deleted = build.DeletedCharts
            .Select(name => new DeletedChart(name, baseVersions?.Addons.FirstOrDefault(a => a.Name == name)?.Namespace ?? PlatformSiteFiles.DefaultNamespace))
            .ToList();
        return new PlatformSite(PlatformSiteFiles.AddonsOf(build.Charts, versions), origin, build.Kind == PackageKind.Hotfix ? baseImages ?? PackageImageIndex.Empty : null, deleted);
    }

    /// <summary>Writes install.sh and the tables it reads into the package's staging folder.</summary>
    public void WriteTo(PackageBuild build)
    {
        Directory.CreateDirectory(build.Staging);
        File.WriteAllText(Path.Combine(build.Staging, PlatformSiteFiles.Addons), PlatformSiteFiles.RenderAddons(Addons));
        File.WriteAllText(Path.Combine(build.Staging, PlatformSiteFiles.ImageOrigins), PlatformSiteFiles.RenderOrigins(Origin));
        if (BaseImages is not null)
        {
            File.WriteAllText(Path.Combine(build.Staging, PlatformSiteFiles.BaseImages), PlatformSiteFiles.RenderBaseImages(build.BaseVersion!, BaseImages.Keys));
        }

        PackageScripts.WriteScript(Path.Combine(build.Staging, ReleaseLayout.InstallScript), PlatformInstallScript.Render(build.Identity, build.BaseVersion, build.Commit, DeletedCharts));
    }
}
