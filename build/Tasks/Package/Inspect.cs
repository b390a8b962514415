using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Packaging;
using Lading.Recipes;
using Lading.Reporting;
using Spectre.Console;

namespace Lading.Tasks.Package;

[TaskName(nameof(Inspect))]
[TaskDescription("Prints what a package holds: kind, version, base version, charts, images and sizes, read from its manifest.json")]
[CommandLine("./build.sh --target=Inspect --package=<tar>")]
[Needs(SettingKeys.Package)]
public sealed class Inspect(IAnsiConsole console) : FrostingTask<BuildContext>, IDryRunAware
{
    public override void Run(BuildContext context)
    {
        var path = context.Package.Package!;
        Show(console, PackageManifest.ReadFromTar(path), path);
        context.Record("package", path);
    }

    public static void Show(IAnsiConsole console, PackageManifest manifest, string path)
    {
        var size = new FileInfo(path).Length;
        console.MarkupLine(Shown($"{Path.GetFileName(path)}: {manifest.Kind} {manifest.Name} {manifest.Version}" +
            (manifest.BaseVersion is null ? string.Empty : $" (installs on {manifest.BaseVersion})") +
            $", {PlainProgress.Bytes(size)}, built {manifest.Built:yyyy-MM-dd HH:mm} UTC" + (manifest.Commit is null ? string.Empty : $" from {manifest.Commit[..12]}")));
        var charts = new Table().AddColumns("chart", "version", "size", "sha256");
        foreach (var chart in manifest.Charts)
        {
            charts.AddRow(Shown(chart.Name), Shown(chart.Version), PlainProgress.Bytes(manifest.SizeOf(chart)), chart.Sha256[..12]);
        }

        console.Write(charts);
        var images = new Table().AddColumns("image", "digest", "size", "from");
        foreach (var image in manifest.Images)
        {
            images.AddRow(Shown(image.Name), image.Digest.Length > 19 ? image.Digest[..19] : image.Digest, image.Bytes > 0 ? PlainProgress.Bytes(image.Bytes) : string.Empty, Shown(image.Source));
        }

        console.Write(images);
        if (manifest.DeletedCharts.Count > 0)
        {
            console.MarkupLine(Shown($"removes charts: {string.Join(", ", manifest.DeletedCharts)}"));
        }

        console.MarkupLine(Shown($"{manifest.FileCount} file(s) with manifest.json, {PlainProgress.Bytes(manifest.Files.Sum(f => f.Size))} before hard links"));
    }

    // A manifest is input like any other: what it says is escaped and cut before the terminal sees it.
    private static string Shown(string text) => Markup.Escape(SafeText.Escape(SafeText.Cut(text, SafeText.LineLimit)));
}
