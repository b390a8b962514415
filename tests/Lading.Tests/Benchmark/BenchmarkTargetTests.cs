using System.Text.Json.Nodes;
using Cake.Core;
using Lading.Benchmark;
using Lading.Recipes;
using Lading.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Lading.Tests.Benchmark;

/// <summary>The Benchmark target as an engineer runs it, on a tiny image set so it takes seconds.</summary>
public sealed class BenchmarkTargetTests : IDisposable
{
    private readonly TempFolder _folder = new("lading-benchmark");

    public void Dispose() => _folder.Dispose();

    private HostRun Build(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var console = new RecordingConsole();
        var host = LadingHost.Create()
            .ConfigureServices(s => s.AddSingleton<IConsole>(sp => new MaskingConsole(console, sp.GetRequiredService<SecretMask>())))
            .ConfigureServices(s => s.AddSingleton<ICakeEnvironment>(new TestEnvironment(environment, _folder.Path)));
        return HostHarness.RunWithConsole(host, console, ["--target=Benchmark", "--output=out", "--work=work", .. args]);
    }

    [SkippableFact]
    public void A_tiny_seed_scale_benchmark_measures_every_row_as_a_process_and_Lading_writes_only_unique_bytes()
    {
        Requires.Tool("skopeo", SkopeoPackage);
        Requires.Tool("docker-registry", DockerRegistryProcess.DebianPackage);
        Requires.Tool("git", "git");

        var run = Build(new Dictionary<string, string>(), "--bench-scale=seed", "--bench-images=4", "--bench-size-mb=8", "--bench-charts=2", $"--helm={Requires.Helm()}");

        Assert.True(run.ExitCode == 0, run.Output);
        var markdown = File.ReadAllText(_folder.Combine("out", BenchmarkReport.MarkdownFile));
        string[] rows =
        [
            BenchmarkReport.LadingSyncCold, BenchmarkReport.LadingSyncWarm, BenchmarkReport.SkopeoSync, BenchmarkReport.SkopeoCopy,
            BenchmarkReport.LadingPackageCold, BenchmarkReport.LadingPackageWarm, BenchmarkReport.LadingHotfix,
            BenchmarkReport.LadingCollectCold, BenchmarkReport.LadingCollectWarm, BenchmarkReport.GitCloneFull, BenchmarkReport.PackageColdAt(1), BenchmarkReport.PackageColdAt(2),
        ];
        foreach (var row in rows)
        {
            Assert.Contains($"| {row} |", markdown);
        }

        var latest = BenchmarkReport.ReadHistory(File.ReadAllText(_folder.Combine("out", BenchmarkReport.JsonFile))).Single();
        JsonNode Row(string name) => ((JsonArray)latest["rows"]!).Single(r => r!["name"]!.GetValue<string>() == name)!;
        long Written(string name) => Row(name)["bytesWritten"]!.GetValue<long>();
        Assert.Equal(rows, ((JsonArray)latest["rows"]!).Select(r => r!["name"]!.GetValue<string>()));
        Assert.All(rows, name => Assert.True(Row(name)["peakRssBytes"]!.GetValue<long>() > 1 << 20 && Row(name)["cpuSeconds"]!.GetValue<double>() > 0, $"{name} was measured from its process: {Row(name).ToJsonString()}"));
        Assert.True(Written(BenchmarkReport.LadingSyncCold) < Written(BenchmarkReport.SkopeoSync), markdown);
        Assert.True(Written(BenchmarkReport.LadingSyncWarm) < Written(BenchmarkReport.LadingSyncCold) / 100, markdown);
        Assert.True(Written(BenchmarkReport.LadingHotfix) < Written(BenchmarkReport.LadingPackageWarm), markdown);
        // Only each tag's charts are fetched, never the history a full clone brings; a warm run fetches nothing new.
        Assert.True(Written(BenchmarkReport.LadingCollectCold) * 4 < Written(BenchmarkReport.GitCloneFull), markdown);
        Assert.True(Written(BenchmarkReport.LadingCollectWarm) < Written(BenchmarkReport.LadingCollectCold) / 4, markdown);
        Assert.Empty(Directory.GetDirectories(_folder.Combine("work", "benchmark"), "run-*"));
    }

    [Fact]
    public void A_disk_too_small_for_the_run_stops_it_before_anything_is_generated_and_says_how_much_is_needed()
    {
        var seed = BenchmarkOptions.For("seed");

        var problem = PlatformBenchmark.FreeSpaceProblem(seed, alreadyGenerated: false, freeBytes: 2L << 30, "/srv/work/benchmark");

        Assert.NotNull(problem);
        Assert.Contains("The benchmark needs 8.", problem);
        Assert.Contains("free under /srv/work/benchmark", problem);
        Assert.Contains("only 2.0 GiB is free", problem);
        Assert.Null(PlatformBenchmark.FreeSpaceProblem(seed, alreadyGenerated: true, freeBytes: 20L << 30, "/srv/work/benchmark"));
        Assert.True(PlatformBenchmark.NeededBytes(seed, alreadyGenerated: false) > PlatformBenchmark.NeededBytes(seed, alreadyGenerated: true));
    }

    [Fact]
    public void Without_skopeo_docker_registry_and_helm_on_the_path_it_names_what_to_install()
    {
        var empty = Directory.CreateDirectory(_folder.Combine("empty-path")).FullName;

        var run = Build(new Dictionary<string, string> { ["PATH"] = empty }, "--bench-images=2", "--bench-size-mb=1", "--bench-runs=1");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("apt-get install skopeo", run.Output);
        Assert.Contains("apt-get install docker-registry", run.Output);
        Assert.Contains("helm 3 is not on PATH: install it, or pass --helm=<path>", run.Output);
    }

    private const string SkopeoPackage = Lading.Tools.Skopeo.SkopeoRunner.DebianPackage;
}
