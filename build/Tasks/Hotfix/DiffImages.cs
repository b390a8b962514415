using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Images;
using Lading.Packaging;
using Lading.Recipes;
using Lading.Release;

namespace Lading.Tasks.Hotfix;

[TaskName(nameof(DiffImages))]
[TaskDescription("Finds the images the changed charts need in the charts themselves at --version (rendered, lists, annotations), and keeps those the base release lacks")]
[CommandLine("part of Hotfix")]
[IsDependentOn(typeof(DiffCharts))]
[Needs(SettingKeys.BaseVersion)]
[OpensPackage(PackageKind.Hotfix)]
public sealed class DiffImages : FrostingTask<BuildContext>, IDryRunAware
{
    public override void Run(BuildContext context)
    {
        var build = context.PackageBuild!;
        var release = context.Release;
        context.ChartImages.RequireHelm("A hotfix");
        var source = build.Source;
        var namespaces = VersionFile.Load(Path.Combine(source, VersionFile.FileName)).Namespaces();
        var charts = ReleaseLayout.ChartFolders(source).Where(f => build.Addons?.Contains(Path.GetFileName(f)) ?? false).ToList();
        var found = context.ChartImages.Find(source, charts, namespaces, release.RenderExemptions);
        foreach (var exempted in found.Exempted)
        {
            context.Log.Warning("{0} was not rendered ({1}): its images come from its lists and annotations only", exempted.Chart, exempted.Reason);
            context.Record("not rendered", exempted.ToString());
        }

        var originFile = Path.Combine(source, ReleaseLayout.OriginFile);
        var needed = ImageListUpdate.Plan(found.Images, File.Exists(originFile) ? OriginMapping.Load(originFile) : OriginMapping.Empty).ChartsByImage();
        var committed = Directory.Exists(Path.Combine(source, ReleaseLayout.Images))
            ? Directory.GetFiles(Path.Combine(source, ReleaseLayout.Images), ImageList.FilePattern).SelectMany(f => ListText.Texts(File.ReadAllText(f))).ToHashSet(StringComparer.Ordinal)
            : [];
        var plan = HotfixPlan.For(needed, committed, context.ReleaseRepo.ImagesListedAt(release.BaseVersion!));
        if (plan.Drift.Count > 0)
        {
            var drift = $"{plan.Drift.Count} image(s) the changed charts need at {build.Version} are in no images/*.list of that tag:\n  " + string.Join("\n  ", plan.Drift);
            if (!release.AcceptListDrift)
            {
                throw new PackageException($"{drift}\nRun UpdateImageLists on the release branch and tag again, or pass --accept-list-drift to ship what the charts need.");
            }

            context.Log.Warning("{0}\nShipping what the charts need (--accept-list-drift).", drift);
            context.Record("list drift", string.Join(", ", plan.Drift));
        }

        build.Images = plan.Ship.ToHashSet(StringComparer.Ordinal);
        context.Log.Information("{0} image(s) the base release {1} lacks: {2}", plan.Ship.Count, release.BaseVersion, plan.Ship.Count == 0 ? "none" : string.Join(", ", plan.Ship));
        context.Record("new images", string.Join(", ", plan.Ship));
    }
}
