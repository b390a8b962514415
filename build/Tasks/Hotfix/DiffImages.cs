using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Packaging;
using Lading.Recipes;
using Lading.Release;

namespace Lading.Tasks.Hotfix;

[TaskName(nameof(DiffImages))]
[TaskDescription("Keeps, of the changed charts' images, only those no image list of the base release names")]
[CommandLine("part of Hotfix")]
[IsDependentOn(typeof(DiffCharts))]
[Needs(SettingKeys.BaseVersion)]
[OpensPackage(PackageKind.Hotfix)]
public sealed class DiffImages : FrostingTask<BuildContext>, IDryRunAware
{
    public override void Run(BuildContext context)
    {
        var build = context.PackageBuild!;
        var baseVersion = context.Release.BaseVersion!;
        var lists = Path.Combine(build.Source, ReleaseLayout.Images);
        var newImages = Directory.Exists(lists)
            ? Directory.GetFiles(lists, "*.list").Order(StringComparer.Ordinal).SelectMany(f => ListText.Texts(File.ReadAllText(f))).ToList()
            : [];
        var provenance = Path.Combine(lists, ImageListPlan.ProvenanceFile);
        var ship = HotfixPlan.ImagesToShip(build.Addons ?? new HashSet<string>(), newImages, File.Exists(provenance) ? File.ReadAllText(provenance) : null, context.ReleaseRepo.ImagesListedAt(baseVersion));
        build.Images = ship.ToHashSet(StringComparer.Ordinal);
        context.Log.Information("{0} image(s) the base release {1} lacks: {2}", ship.Count, baseVersion, ship.Count == 0 ? "none" : string.Join(", ", ship));
        context.Record("new images", string.Join(", ", ship));
    }
}
