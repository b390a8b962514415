using System.Text.Json;
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
    public void A_tiny_benchmark_reports_all_four_tools_and_Lading_cold_writes_only_unique_bytes_where_skopeo_dir_writes_every_image_whole()
    {
        Requires.Tool("skopeo", SkopeoPackage);
        Requires.Tool("docker-registry", DockerRegistryProcess.DebianPackage);

        var run = Build(new Dictionary<string, string>(), "--bench-images=3", "--bench-size-mb=6", "--bench-runs=1");

        Assert.True(run.ExitCode == 0, run.Output);
        var markdown = File.ReadAllText(_folder.Combine("out", BenchmarkReport.MarkdownFile));
        foreach (var tool in new[] { BenchmarkReport.LadingCold, BenchmarkReport.LadingWarm, BenchmarkReport.SkopeoSync, BenchmarkReport.SkopeoCopy })
        {
            Assert.Contains($"| {tool} |", markdown);
        }

        var json = JsonDocument.Parse(File.ReadAllText(_folder.Combine("out", BenchmarkReport.JsonFile))).RootElement;
        long Written(string tool) => json.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("name").GetString() == tool).GetProperty("bytesWritten").GetInt64();
        Assert.True(Written(BenchmarkReport.LadingCold) < Written(BenchmarkReport.SkopeoSync), markdown);
        Assert.True(Written(BenchmarkReport.LadingWarm) < Written(BenchmarkReport.LadingCold) / 100, markdown);
        Assert.Empty(Directory.GetDirectories(_folder.Combine("work", "benchmark"), "run-*"));
    }

    [Fact]
    public void Without_skopeo_and_docker_registry_on_the_path_it_names_the_Debian_packages_to_install()
    {
        var empty = Directory.CreateDirectory(_folder.Combine("empty-path")).FullName;

        var run = Build(new Dictionary<string, string> { ["PATH"] = empty }, "--bench-images=1", "--bench-size-mb=1", "--bench-runs=1");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("apt-get install skopeo", run.Output);
        Assert.Contains("apt-get install docker-registry", run.Output);
    }

    private const string SkopeoPackage = Lading.Tools.Skopeo.SkopeoRunner.DebianPackage;
}
