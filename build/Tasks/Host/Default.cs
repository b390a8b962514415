using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Packaging;
using Spectre.Console;

namespace Lading.Tasks.Host;

[TaskName(nameof(Default))]
[TaskDescription("With no arguments: builds the package of the built-in example (recipes/example.yaml) offline, then prints where it is and what it holds")]
[CommandLine("./build.sh")]
[IsDependentOn(typeof(Lading.Tasks.Package.Package))]
public sealed class Default(IAnsiConsole console) : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        var package = context.PackageFile ?? throw new PackageException("the package was not assembled");
        console.WriteLine();
        console.MarkupLine($"[bold]Package:[/] {Markup.Escape(package)}");
        Lading.Tasks.Package.Inspect.Show(console, PackageManifest.ReadFromTar(package), package);
        context.Log.Information("Next: ./build.sh --target=Targets lists every pipeline; README.md explains recipes.");
    }
}
