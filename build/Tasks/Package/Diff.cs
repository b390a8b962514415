using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Packaging;
using Lading.Recipes;

namespace Lading.Tasks.Package;

[TaskName(nameof(Diff))]
[TaskDescription("Compares two packages: charts and images added, removed and changed, with sizes; also written as Markdown for a pull request or chat")]
[CommandLine("./build.sh --target=Diff --package=<new.tar> --against=<old.tar>")]
[Needs(SettingKeys.Package)]
[Needs(SettingKeys.Against)]
public sealed class Diff : FrostingTask<BuildContext>, IDryRunAware
{
    public const string ReportFile = "diff.md";

    public override void Run(BuildContext context)
    {
        var diff = PackageDiff.Compare(
            PackageManifest.ReadFromTar(context.Package.Against!),
            PackageManifest.ReadFromTar(context.Package.Package!));
        var markdown = diff.ToMarkdown();
        context.Log.Information("{0}", markdown);
        Directory.CreateDirectory(context.Paths.Output);
        var report = Path.Combine(context.Paths.Output, ReportFile);
        File.WriteAllText(report + ".tmp", markdown);
        File.Move(report + ".tmp", report, overwrite: true);
        context.Record("diff", report);
        context.Record("charts changed", diff.Charts.Count.ToString());
        context.Record("images changed", diff.Images.Count.ToString());
    }
}
