using Cake.Common;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Benchmark;
using Lading.Tools.Git;
using Lading.Tools.Skopeo;

namespace Lading.Tasks.Benchmark;

[TaskName(nameof(Benchmark))]
[TaskDescription("Times Lading as whole processes (SyncImages cold and warm, Package cold and warm, a Hotfix, CollectCharts cold and warm) against skopeo sync, a skopeo copy loop and full git clones on a generated platform served by a local docker-registry; writes benchmark.md and benchmark.json (with the last runs)")]
[CommandLine("./build.sh --target=Benchmark [--bench-scale=default|seed] [--bench-images=N] [--bench-size-mb=MB] [--bench-charts=N] [--bench-runs=N]")]
public sealed class Benchmark : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var options = BenchmarkOptions.For(
            context.Argument<string?>(BenchmarkOptions.ScaleArgument, null),
            context.Argument<int?>(BenchmarkOptions.ImagesArgument, null),
            context.Argument<int?>(BenchmarkOptions.SizeArgument, null),
            context.Argument<int?>(BenchmarkOptions.RunsArgument, null),
            context.Argument<int?>(BenchmarkOptions.ChartsArgument, null));
        var meter = new MeasuredProcessRunner(context.Environment);
        var skopeo = new SkopeoRunner(context.FileSystem, context.Environment, meter, context.Tools);
        var registry = context.Tools.Resolve(DockerRegistryProcess.Executable);
        // A hotfix renders its charts to find their images: the Hotfix row needs helm as a real one does.
        var helm = context.Release.Helm ?? context.Tools.Resolve("helm")?.FullPath;
        var missing = new[]
        {
            helm is not null ? null : "helm 3 is not on PATH: install it, or pass --helm=<path>",
            skopeo.IsAvailable() ? null : $"skopeo is not installed: apt-get install {SkopeoRunner.DebianPackage}",
            registry is not null ? null : $"{DockerRegistryProcess.Executable} is not installed: apt-get install {DockerRegistryProcess.DebianPackage}",
        }.OfType<string>().ToList();
        if (missing.Count > 0)
        {
            throw new BenchmarkException("The benchmark needs tools this machine lacks:\n  " + string.Join("\n  ", missing));
        }

        context.Log.Information("Benchmark: {0}", options);
        // The host measured is this very one, run again as a process of its own.
        var lading = new LadingProcess(context.FileSystem, context.Environment, meter, context.Tools, typeof(LadingHost).Assembly.Location);
        var tools = new BenchmarkTools(context.Git(), new GitRunner(context.FileSystem, context.Environment, meter, context.Tools), lading, LadingProcess.SameRuntime(), skopeo, meter, registry!.FullPath, helm!);
        var report = await new PlatformBenchmark(options, tools, Path.Combine(context.Paths.Work, "benchmark"), line => context.Log.Information(Literal(line)))
            .RunAsync(CancellationToken.None);
        var written = await report.WriteAsync(context.Paths.Output, CancellationToken.None);
        foreach (var line in (await File.ReadAllTextAsync(written)).Split('\n'))
        {
            context.Log.Information(Literal(line));
        }

        context.Record("report", written);
        foreach (var (label, value, _) in report.Ratios.Where(r => r.Value is not null))
        {
            context.Record(label, value!.Value.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "x");
        }
    }

    // Cake reads a log line as a format string; braces in paths or commands must not be taken for placeholders.
    private static string Literal(string line) => line.Replace("{", "{{").Replace("}", "}}");
}
