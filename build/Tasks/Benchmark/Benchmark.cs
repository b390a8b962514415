using System.Globalization;
using Cake.Common;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Benchmark;
using Lading.Tools.Skopeo;

namespace Lading.Tasks.Benchmark;

[TaskName(nameof(Benchmark))]
[TaskDescription("Times Lading's image sync (cold and warm) against skopeo sync and a skopeo copy loop on generated images in a local docker-registry; writes benchmark.md and benchmark.json")]
[CommandLine("./build.sh --target=Benchmark [--bench-images=30] [--bench-size-mb=2000] [--bench-runs=3]")]
public sealed class Benchmark : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var options = new BenchmarkOptions(
            context.Argument(BenchmarkOptions.ImagesArgument, BenchmarkOptions.DefaultImages),
            context.Argument(BenchmarkOptions.SizeArgument, BenchmarkOptions.DefaultSizeMegabytes),
            context.Argument(BenchmarkOptions.RunsArgument, BenchmarkOptions.DefaultRuns));
        var skopeo = context.Skopeo();
        var registry = context.Tools.Resolve(DockerRegistryProcess.Executable);
        var missing = new[]
        {
            skopeo.IsAvailable() ? null : $"skopeo is not installed: apt-get install {SkopeoRunner.DebianPackage}",
            registry is not null ? null : $"{DockerRegistryProcess.Executable} is not installed: apt-get install {DockerRegistryProcess.DebianPackage}",
        }.OfType<string>().ToList();
        if (missing.Count > 0)
        {
            throw new BenchmarkException("The benchmark needs tools this machine lacks:\n  " + string.Join("\n  ", missing));
        }

        context.Log.Information("Benchmark: {0}", options);
        var images = context.ImageServices;
        var tools = new BenchmarkTools(images.Registry, store => images.Sync(store), skopeo, registry!.FullPath);
        var report = await new ImageBenchmark(options, tools, Path.Combine(context.Paths.Work, "benchmark"), line => context.Log.Information(Literal(line)))
            .RunAsync(CancellationToken.None);
        var written = await report.WriteAsync(context.Paths.Output, CancellationToken.None);
        foreach (var line in report.ToMarkdown().Split('\n'))
        {
            context.Log.Information(Literal(line));
        }

        context.Record("report", written);
        context.Record("skopeo sync / Lading cold", report.Ratio(BenchmarkReport.SkopeoSync, BenchmarkReport.LadingCold).ToString("0.00", CultureInfo.InvariantCulture));
        context.Record("Lading cold / Lading warm", report.Ratio(BenchmarkReport.LadingCold, BenchmarkReport.LadingWarm).ToString("0.0", CultureInfo.InvariantCulture));
    }

    // Cake reads a log line as a format string; braces in paths or commands must not be taken for placeholders.
    private static string Literal(string line) => line.Replace("{", "{{").Replace("}", "}}");
}
