using Lading.Benchmark;

namespace Lading.Tests.Benchmark;

/// <summary>The pure parts of the benchmark: the images it plans, medians, ratios and the report's table.</summary>
public sealed class BenchmarkReportTests
{
    [Fact]
    public void Planned_images_add_up_to_the_size_asked_for_and_share_most_of_their_base_layers()
    {
        var images = BenchmarkImageSet.Plan(new BenchmarkOptions(images: 30, sizeMegabytes: 2000));

        Assert.Equal(30, images.Count);
        Assert.Equal(30, images.Select(i => i.Name).Distinct().Count());
        Assert.InRange(BenchmarkImageSet.LogicalBytes(images), 1_999_000_000L, 2_000_000_000L);
        Assert.InRange(BenchmarkImageSet.UniqueBytes(images), BenchmarkImageSet.LogicalBytes(images) / 3, BenchmarkImageSet.LogicalBytes(images) * 2 / 3);
        Assert.All(images, image => Assert.Equal("base", image.Layers[0].Name));
    }

    [Fact]
    public void A_single_image_is_planned_without_a_family_it_cannot_share()
    {
        var image = Assert.Single(BenchmarkImageSet.Plan(new BenchmarkOptions(images: 1, sizeMegabytes: 1)));

        Assert.Equal(BenchmarkImageSet.LogicalBytes([image]), BenchmarkImageSet.UniqueBytes([image]));
    }

    [Fact]
    public void Options_out_of_range_are_all_named_at_once()
    {
        var error = Assert.Throws<BenchmarkException>(() => new BenchmarkOptions(images: 0, sizeMegabytes: 10, runs: 0));

        Assert.Contains("--bench-images must be at least 1", error.Message);
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
    public void The_report_has_a_row_per_tool_and_the_two_ratios()
    {
        var report = new BenchmarkReport(new BenchmarkOptions(3, 6, 3), 6_000_000, 4_800_000, 2, "skopeo version 1.9.3",
        [
            new ContenderResult(BenchmarkReport.LadingCold, "cold", [2.0, 2.2, 1.8], [4_800_000, 4_800_000, 4_800_000]),
            new ContenderResult(BenchmarkReport.LadingWarm, "warm", [0.1, 0.1, 0.1], [1_000, 1_000, 1_000]),
            new ContenderResult(BenchmarkReport.SkopeoSync, "sync", [5.0, 4.0, 6.0], [6_000_000, 6_000_000, 6_000_000]),
            new ContenderResult(BenchmarkReport.SkopeoCopy, "copy", [3.0, 3.0, 3.0], [4_800_000, 4_800_000, 4_800_000]),
        ]);

        var markdown = report.ToMarkdown();

        Assert.Contains("| Lading SyncImages cold | 2.00 | 4,800,000 (4.6 MiB) | 1.00 |", markdown);
        Assert.Contains("| skopeo sync (dir) | 5.00 | 6,000,000 (5.7 MiB) | 2.50 |", markdown);
        Assert.Contains("| Lading re-package warm |", markdown);
        Assert.Contains("| skopeo copy loop (oci) |", markdown);
        Assert.Contains("skopeo sync / Lading cold: 2.50x", markdown);
        Assert.Contains("Lading cold / Lading warm: 20.0x", markdown);
    }
}
