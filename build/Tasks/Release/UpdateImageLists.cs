using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Charts;
using Lading.Images;
using Lading.Recipes;
using Lading.Release;
using Lading.Tools.Helm;

namespace Lading.Tasks.Release;

[TaskName(nameof(UpdateImageLists))]
[TaskDescription("Finds every image the charts need (helm template, chart image lists, Chart.yaml annotations) and writes images/*.list and images/provenance.yaml")]
[CommandLine("./build.sh --target=UpdateImageLists --release-repo=... [--helm=<path>]")]
[IsDependentOn(typeof(UpdateVersions))]
[Needs(SettingKeys.ReleaseRepo)]
public sealed class UpdateImageLists : AsyncFrostingTask<BuildContext>, IDryRunAware
{
    public override async Task RunAsync(BuildContext context)
    {
        var repo = context.ReleaseRepo;
        var helm = context.Helm();
        var settings = new HelmSettings { ToolPath = context.Release.Helm };
        var render = helm.IsAvailable(settings);
        if (render)
        {
            context.Log.Information("Rendering charts with {0}", helm.Version(settings));
        }
        else
        {
            context.Log.Warning("helm was not found (install helm 3 or pass --helm=<path>): images come only from chart image lists and Chart.yaml annotations, not from rendered templates");
            context.ReleaseReport.Warnings.Add("helm not found: charts were not rendered");
        }

        var namespaces = VersionFile.Load(repo.PathOf(VersionFile.FileName)).Addons.GroupBy(a => a.Name).ToDictionary(g => g.Key, g => g.First().Namespace);
        var found = new List<ChartImage>();
        var addons = ReleaseLayout.ChartFolders(repo.Root);
        foreach (var folder in addons)
        {
            var name = Path.GetFileName(folder);
            if (render)
            {
                try
                {
                    found.AddRange(ChartImages.FromRenderedManifests(helm.Template(folder, name, namespaces.GetValueOrDefault(name), settings: settings), name));
                }
                catch (Lading.Tools.ToolException ex)
                {
                    context.Log.Warning("helm could not render {0} with its default values; using its image lists and annotations only: {1}", name, ex.Output.Trim());
                    context.ReleaseReport.Warnings.Add($"{name}: not rendered ({ex.Output.Trim().Split('\n')[0]})");
                }
            }

            found.AddRange(ChartImages.FromImageLists(folder, name));
            found.AddRange(ChartImages.FromAnnotations(ChartMetadata.Load(Path.Combine(folder, ChartMetadata.FileName)), name));
        }

        var originFile = repo.PathOf(ReleaseLayout.OriginFile);
        var origin = File.Exists(originFile) ? OriginMapping.Load(originFile) : OriginMapping.Empty;
        var plan = ImageListUpdate.Plan(found.Select(i => i with { Origin = Path.GetRelativePath(repo.PathOf(ReleaseLayout.Addons), Path.Combine(repo.PathOf(ReleaseLayout.Addons), i.Origin)) }), origin);

        var images = repo.PathOf(ReleaseLayout.Images);
        foreach (var list in plan.Lists)
        {
            var path = Path.Combine(images, list.FileName);
            var before = File.Exists(path) ? ReadLines(path) : [];
            var change = new ImageListChange(list.FileName, list.Images.Except(before).ToList(), before.Except(list.Images).ToList());
            context.ReleaseReport.ImageLists.Add(change);
            context.Log.Information("{0}: {1} image(s), {2} added, {3} removed", list.FileName, list.Images.Count, change.Added.Count, change.Removed.Count);
            await WriteIfChanged(context, path, ImageListPlan.Render(list));
        }

        await WriteIfChanged(context, Path.Combine(images, ImageListPlan.ProvenanceFile), plan.RenderProvenance());
        context.Record("images", plan.Lists.Sum(l => l.Images.Count).ToString());
        if (context.ReleaseReport.ImageDiff() is { } diff)
        {
            context.Record("image list changes", diff);
        }
    }

    private static IReadOnlyList<string> ReadLines(string path) =>
        ListText.Texts(File.ReadAllText(path));

    private static async Task WriteIfChanged(BuildContext context, string path, string text)
    {
        if (File.Exists(path) && await File.ReadAllTextAsync(path) == text)
        {
            return;
        }

        if (context.IsDryRun)
        {
            context.Log.Information("[dry run] would write {0}", path);
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
