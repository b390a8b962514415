using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Packaging;
using Lading.Recipes;

namespace Lading.Tasks.Package;

[TaskName(nameof(Diff))]
[TaskDescription("Compares two packages: charts and images added, removed and changed, with sizes; also written as Markdown for a pull request or chat")]
[Needs(SettingKeys.Package)]
[Needs(SettingKeys.Against)]
public sealed class Diff : FrostingTask<BuildContext>, IDryRunAware
{
    public const string ReportFile = "diff.md";

    public override void Run(BuildContext context)
    {
        var diff = PackageDiff.Compare(
            PackageManifest.ReadFromTar(context.PathOf(SettingKeys.Against)),
            PackageManifest.ReadFromTar(context.PathOf(SettingKeys.Package)));
        var markdown = diff.ToMarkdown();
        context.Log.Information("{0}", markdown);
        Directory.CreateDirectory(context.OutputFolder);
        var report = Path.Combine(context.OutputFolder, ReportFile);
        File.WriteAllText(report + ".tmp", markdown);
        File.Move(report + ".tmp", report, overwrite: true);
        context.Record("diff", report);
        context.Record("charts changed", diff.Charts.Count.ToString());
        context.Record("images changed", diff.Images.Count.ToString());
    }
}
