using Lading.Packaging;

namespace Lading.Tasks;

/// <summary>What Verify and AssemblePackage both read of the release for a package's install.sh, read the same way.</summary>
internal static class PlatformSites
{
    /// <summary>The release at the package's version; for a hotfix also its base: the images it holds (lists, and the base package when given) and its version.yml.</summary>
    public static PlatformSite PlatformSiteOf(this BuildContext context, PackageBuild build)
    {
        var origin = context.ImageServices.Origin;
        if (build.Kind != PackageKind.Hotfix)
        {
            return PlatformSite.Of(build, origin, null, null);
        }

        var repo = context.ReleaseRepo;
        var baseImages = PackageImageIndex.OfLists(repo.ImagesListedAt(build.BaseVersion!), origin);
        if (context.Package.BasePackage is { } basePackage)
        {
            baseImages = baseImages.Union(PackageImageIndex.FromTar(basePackage));
        }

        return PlatformSite.Of(build, origin, baseImages, repo.VersionFileAt(build.BaseVersion!));
    }
}
