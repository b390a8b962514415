using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Frosting;
using Lading.Packaging;
using Lading.Recipes;
using Lading.Tools.Git;
using Path = System.IO.Path;

namespace Lading.Tasks.Hotfix;

[TaskName(nameof(DiffImages))]
[TaskDescription("Keeps, of the changed charts' images, only those no image list of the base release names")]
[IsDependentOn(typeof(DiffCharts))]
[Needs(SettingKeys.BaseVersion)]
public sealed class DiffImages : FrostingTask<BuildContext>, IDryRunAware
{
    public override void Run(BuildContext context)
    {
        var build = context.Package("hotfix");
        var repo = context.ReleaseRepo;
        var git = context.Git();
        var top = new DirectoryPath(repo.GitTopLevel!);
        var images = Path.GetRelativePath(repo.GitTopLevel!, Path.Combine(repo.Root, "images")).Replace('\\', '/');
        var baseVersion = context.Settings.Text(SettingKeys.BaseVersion)!;
        var baseImages = git.ListTree(top, $"refs/tags/{baseVersion}:{images}")
            .Where(f => f.EndsWith(".list", StringComparison.Ordinal))
            .SelectMany(f => ListText.Entries(git.Show(top, $"refs/tags/{baseVersion}", $"{images}/{f}"), trailingComments: true).Select(e => e.Text))
            .ToHashSet(StringComparer.Ordinal);

        var lists = Path.Combine(build.Source, "images");
        var newImages = Directory.Exists(lists)
            ? Directory.GetFiles(lists, "*.list").Order(StringComparer.Ordinal).SelectMany(f => ListText.Entries(File.ReadAllText(f), trailingComments: true).Select(e => e.Text)).ToList()
            : [];
        var provenance = Path.Combine(lists, Lading.Release.ImageListPlan.ProvenanceFile);
        var ship = HotfixPlan.ImagesToShip(build.Addons ?? new HashSet<string>(), newImages, File.Exists(provenance) ? File.ReadAllText(provenance) : null, baseImages);
        build.Images = ship.ToHashSet(StringComparer.Ordinal);
        context.Log.Information("{0} image(s) the base release {1} lacks: {2}", ship.Count, baseVersion, ship.Count == 0 ? "none" : string.Join(", ", ship));
        context.Record("new images", string.Join(", ", ship));
    }
}
