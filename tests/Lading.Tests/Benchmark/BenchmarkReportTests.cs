using System.Text.Json.Nodes;
using Lading.Benchmark;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Benchmark;

/// <summary>The pure parts of the benchmark: the platform it plans, medians, ratios, the report's table and its history.</summary>
public sealed class BenchmarkReportTests
{
    [Fact]
    public void The_seed_scale_plans_200_images_in_40_repositories_of_4_GB_sharing_down_to_about_1_5_GB()
    {
        var options = BenchmarkOptions.For("seed");
        var images = BenchmarkImageSet.Plan(options);

        Assert.Equal((200, 40, 20, 1), (images.Count, images.Select(i => i.Repository).Distinct().Count(), options.Charts, options.Runs));
        Assert.Equal([50, 100], options.MemoryPoints);
        Assert.Equal(200, images.Select(i => i.Name).Distinct().Count());
        Assert.InRange(BenchmarkImageSet.LogicalBytes(images), 3_990_000_000L, 4_000_000_000L);
        Assert.InRange(BenchmarkImageSet.UniqueBytes(images), 1_300_000_000L, 1_700_000_000L);
    }

    [Fact]
    public void Most_images_share_one_base_families_share_a_runtime_and_each_has_one_to_four_layers_of_its_own()
    {
        var images = BenchmarkImageSet.Plan(BenchmarkOptions.For("seed"));
        var layerUsers = images.SelectMany(i => i.Layers).GroupBy(l => l.Name).ToDictionary(g => g.Key, g => g.Count());

        var bases = images.Select(i => i.Layers[0].Name).GroupBy(n => n).OrderByDescending(g => g.Count()).ToList();
        Assert.Equal(3, bases.Count);
        Assert.True(bases[0].Count() > images.Count / 2, "most images are on one base");
        Assert.Equal(8, images.Select(i => i.Layers[2].Name).Distinct().Count());
        Assert.All(images, image =>
        {
            Assert.StartsWith("family-", image.Layers[2].Name);
            var own = image.Layers.Skip(3).ToList();
            Assert.InRange(own.Count, 1, 4);
            Assert.All(own, layer => Assert.Equal(1, layerUsers[layer.Name]));
        });
    }

    [Fact]
    public void Arguments_change_one_number_of_a_scale_and_an_unknown_scale_is_named()
    {
        var options = BenchmarkOptions.For("seed", images: 60, runs: 2);

        Assert.Equal((60, 4000, 2, 20, "seed"), (options.Images, options.SizeMegabytes, options.Runs, options.Charts, options.Scale));
        Assert.Equal([15, 30], options.MemoryPoints);
        Assert.Equal((30, 2000, 3), (BenchmarkOptions.For(null).Images, BenchmarkOptions.For(null).SizeMegabytes, BenchmarkOptions.For(null).Runs));
        Assert.Contains("--bench-scale=huge is not a scale", Assert.Throws<BenchmarkException>(() => BenchmarkOptions.For("huge")).Message);
    }

    [Fact]
    public void Options_out_of_range_are_all_named_at_once()
    {
        var error = Assert.Throws<BenchmarkException>(() => new BenchmarkOptions(images: 1, sizeMegabytes: 10, runs: 0));

        Assert.Contains("--bench-images must be at least 2", error.Message);
        Assert.Contains("--bench-runs must be at least 1", error.Message);
    }

    [Theory]
    [InlineData(new[] { 3.0 }, 3.0)]
    [InlineData(new[] { 5.0, 1.0, 3.0 }, 3.0)]
    [InlineData(new[] { 4.0, 1.0, 3.0, 2.0 }, 2.5)]
    public void The_median_is_the_middle_run_or_the_mean_of_the_two_middle_runs(double[] seconds, double median)
    {
        Assert.Equal(median, BenchmarkReport.Median(seconds));
    }

    [Fact]
    public void The_report_has_a_row_per_tool_with_time_CPU_memory_and_bytes_and_the_ratios_against_their_aims()
    {
        var markdown = Report(coldSeconds: 2.0).ToMarkdown();

        Assert.Contains("| Lading SyncImages cold | 2.00 | 1.50 | 80.0 MiB | 4.6 MiB |  |", markdown);
        Assert.Contains("| skopeo sync (dir) | 8.00 | 6.00 | 20.0 MiB | 5.7 MiB |  |", markdown);
        Assert.Contains("- skopeo sync (dir) / Lading SyncImages cold: 4.0x (aim: at least 3x, met)", markdown);
        Assert.Contains("- skopeo sync (dir) / Lading SyncImages warm: 10.0x (aim: at least 15x, not met)", markdown);
        Assert.Contains("- peak memory of a cold Package as images grow: 2 images 90.0 MiB, 3 images 100.0 MiB (aim: under 300.0 MiB, met)", markdown);
        Assert.Contains("- git clone (full) loop / Lading CollectCharts cold: 6.0x (aim: at least 5x, met)", markdown);
        Assert.Contains("- git clone (full) loop / Lading CollectCharts warm: 18.0x", markdown);
        Assert.Contains("each from a component repository with 1 MB of history served over file://", markdown);
    }

    [Fact]
    public async Task A_run_whose_component_repositories_had_another_history_is_not_compared_with()
    {
        using var folder = new TempFolder("lading-benchmark-shape");
        await Report(coldSeconds: 2.0).WriteAsync(folder.Path, CancellationToken.None);
        var json = folder.Combine(BenchmarkReport.JsonFile);
        File.WriteAllText(json, File.ReadAllText(json).Replace("\"componentHistoryMegabytes\": 1", "\"componentHistoryMegabytes\": 20", StringComparison.Ordinal));

        await Report(coldSeconds: 3.0).WriteAsync(folder.Path, CancellationToken.None);

        var markdown = File.ReadAllText(folder.Combine(BenchmarkReport.MarkdownFile));
        Assert.Contains("| Lading SyncImages cold | 3.00 | 1.50 | 80.0 MiB | 4.6 MiB |  |", markdown);
        Assert.DoesNotContain("Earlier runs of this shape", markdown);
    }

    [Fact]
    public async Task Each_run_is_appended_to_benchmark_json_and_compared_with_the_last_run_of_the_same_shape()
    {
        using var folder = new TempFolder("lading-benchmark-report");

        await Report(coldSeconds: 2.0).WriteAsync(folder.Path, CancellationToken.None);
        await Report(coldSeconds: 3.0).WriteAsync(folder.Path, CancellationToken.None);

        var runs = BenchmarkReport.ReadHistory(File.ReadAllText(folder.Combine(BenchmarkReport.JsonFile)));
        Assert.Equal([2.0, 3.0], runs.Select(r => ((JsonArray)r["rows"]!)[0]!["seconds"]!.GetValue<double>()));
        var markdown = File.ReadAllText(folder.Combine(BenchmarkReport.MarkdownFile));
        Assert.Contains("| Lading SyncImages cold | 3.00 | 1.50 | 80.0 MiB | 4.6 MiB | +50% (2.00 s) |", markdown);
        Assert.Contains("Earlier runs of this shape", markdown);
    }

    [Fact]
    public async Task The_history_keeps_the_last_twenty_runs_and_a_file_of_another_form_starts_it_afresh()
    {
        using var folder = new TempFolder("lading-benchmark-history");
        File.WriteAllText(folder.Combine(BenchmarkReport.JsonFile), """{"results": []}""");

        for (var run = 0; run < BenchmarkReport.HistoryLength + 2; run++)
        {
            await Report(coldSeconds: run + 1).WriteAsync(folder.Path, CancellationToken.None);
        }

        var runs = BenchmarkReport.ReadHistory(File.ReadAllText(folder.Combine(BenchmarkReport.JsonFile)));
        Assert.Equal(BenchmarkReport.HistoryLength, runs.Count);
        Assert.Equal(3.0, ((JsonArray)runs[0]["rows"]!)[0]!["seconds"]!.GetValue<double>());
    }

    private static BenchmarkReport Report(double coldSeconds)
    {
        static RowRun Run(double seconds, double cpu, long rssMiB, long bytes) => new(seconds, cpu, rssMiB << 20, bytes);
        return new BenchmarkReport(new BenchmarkOptions(images: 3, sizeMegabytes: 6, runs: 1, charts: 2, memoryPoints: [2]), 6_000_000, 4_800_000, 2, "skopeo version 1.9.3",
            new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero),
            [
                new BenchmarkRow(BenchmarkReport.LadingSyncCold, "cold", [Run(coldSeconds, 1.5, 80, 4_800_000)]),
                new BenchmarkRow(BenchmarkReport.LadingSyncWarm, "warm", [Run(0.8, 0.6, 60, 1_000)]),
                new BenchmarkRow(BenchmarkReport.SkopeoSync, "sync", [Run(8.0, 6.0, 20, 6_000_000)]),
                new BenchmarkRow(BenchmarkReport.SkopeoCopy, "copy", [Run(5.0, 3.0, 20, 4_800_000)]),
                new BenchmarkRow(BenchmarkReport.LadingPackageCold, "package", [Run(4.0, 3.0, 100, 9_600_000)]),
                new BenchmarkRow(BenchmarkReport.LadingPackageWarm, "again", [Run(1.0, 0.9, 90, 4_800_000)]),
                new BenchmarkRow(BenchmarkReport.LadingCollectCold, "collect", [Run(1.5, 2.0, 70, 300_000)]),
                new BenchmarkRow(BenchmarkReport.LadingCollectWarm, "collect again", [Run(0.5, 0.5, 65, 4_000)]),
                new BenchmarkRow(BenchmarkReport.GitCloneFull, "clones", [Run(9.0, 8.0, 6, 300_000_000)]),
                new BenchmarkRow(BenchmarkReport.PackageColdAt(2), "fewer", [Run(3.0, 2.0, 90, 3_000_000)]),
            ]);
    }
}
