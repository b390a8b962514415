namespace Lading.Benchmark;

/// <summary>
/// How big the benchmark is. <c>--bench-scale</c> picks a preset (<c>default</c>: 30 images, 2000 MB, 3 runs;
/// <c>seed</c>: a platform like the seed's, 200 images in 40 repositories, 4000 MB, 20 charts, one run, memory
/// measured at a quarter, half and all of the images: 50, 100 and 200); <c>--bench-images</c>, <c>--bench-size-mb</c>, <c>--bench-runs</c> and
/// <c>--bench-charts</c> change one number of it.
/// </summary>
public sealed record BenchmarkOptions
{
    public const string ScaleArgument = "bench-scale";
    public const string ImagesArgument = "bench-images";
    public const string SizeArgument = "bench-size-mb";
    public const string RunsArgument = "bench-runs";
    public const string ChartsArgument = "bench-charts";

    public const string DefaultScale = "default";
    public const string SeedScale = "seed";

    public const int DefaultImages = 30;
    public const int DefaultSizeMegabytes = 2000;
    public const int DefaultRuns = 3;
    public const int DefaultCharts = 10;

    public BenchmarkOptions(int images = DefaultImages, int sizeMegabytes = DefaultSizeMegabytes, int runs = DefaultRuns, int charts = DefaultCharts, string scale = DefaultScale, IReadOnlyList<int>? memoryPoints = null)
    {
        var problems = new List<string>();
        if (images < 2)
        {
            problems.Add($"--{ImagesArgument} must be at least 2, one of them for the hotfix (it was {images})");
        }

        if (sizeMegabytes < 1)
        {
            problems.Add($"--{SizeArgument} must be at least 1 (it was {sizeMegabytes})");
        }

        if (runs < 1)
        {
            problems.Add($"--{RunsArgument} must be at least 1 (it was {runs})");
        }

        if (charts < 1)
        {
            problems.Add($"--{ChartsArgument} must be at least 1 (it was {charts})");
        }

        if (problems.Count > 0)
        {
            throw new BenchmarkException(string.Join("; ", problems) + ".");
        }

        Images = images;
        SizeMegabytes = sizeMegabytes;
        Runs = runs;
        Charts = charts;
        Scale = scale;
        MemoryPoints = (memoryPoints ?? []).Where(p => p > 0 && p < images).Distinct().Order().ToList();
    }

    /// <summary>The preset named by <c>--bench-scale</c>, each of its numbers replaced by the argument given for it.</summary>
    public static BenchmarkOptions For(string? scale, int? images = null, int? sizeMegabytes = null, int? runs = null, int? charts = null)
    {
        var name = string.IsNullOrWhiteSpace(scale) ? DefaultScale : scale.Trim().ToLowerInvariant();
        var preset = name switch
        {
            DefaultScale => new BenchmarkOptions(),
            SeedScale => new BenchmarkOptions(images: 200, sizeMegabytes: 4000, runs: 1, charts: 20, scale: SeedScale),
            _ => throw new BenchmarkException($"--{ScaleArgument}={scale} is not a scale: use {DefaultScale} or {SeedScale}."),
        };
        var count = images ?? preset.Images;
        IReadOnlyList<int> memoryPoints = name == SeedScale ? [count / 4, count / 2] : [];
        return new BenchmarkOptions(count, sizeMegabytes ?? preset.SizeMegabytes, runs ?? preset.Runs, charts ?? preset.Charts, name, memoryPoints);
    }

    public int Images { get; }

    public int SizeMegabytes { get; }

    public int Runs { get; }

    /// <summary>Charts in the generated release; the images are spread over them.</summary>
    public int Charts { get; }

    public string Scale { get; }

    /// <summary>Smaller image counts a cold Package is also measured at, to show its memory stays flat as images grow.</summary>
    public IReadOnlyList<int> MemoryPoints { get; }

    /// <summary>
    /// The history of each chart's component repository, which CollectCharts is timed on against full clones: a
    /// fortieth of the images' size, 1 to 100 MB (50 MB at the default scale, 100 MB at the seed's, the size of a
    /// service's repository after a few years).
    /// </summary>
    public int ComponentHistoryMegabytes => Math.Clamp(SizeMegabytes / 40, 1, 100);

    /// <summary>One repository per five images, as a release holds a few versions of each component.</summary>
    public int Repositories => Math.Max(1, (Images + 4) / 5);

    public long LogicalBytes => SizeMegabytes * 1_000_000L;

    /// <summary>Names the generated image set, so sets of other shapes are never mistaken for it.</summary>
    public string ImagesKey => $"{Images}x{SizeMegabytes}mb";

    public override string ToString() => $"{Scale} scale: {Images} image(s) in {Repositories} repositories, {SizeMegabytes} MB, {Charts} chart(s), {Runs} run(s)";
}
