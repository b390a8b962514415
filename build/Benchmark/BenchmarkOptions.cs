namespace Lading.Benchmark;

/// <summary>How big the benchmark is: <c>--bench-images</c>, <c>--bench-size-mb</c> (logical, summed over images), <c>--bench-runs</c>.</summary>
public sealed record BenchmarkOptions
{
    public const string ImagesArgument = "bench-images";
    public const string SizeArgument = "bench-size-mb";
    public const string RunsArgument = "bench-runs";

    public const int DefaultImages = 30;
    public const int DefaultSizeMegabytes = 2000;
    public const int DefaultRuns = 3;

    public BenchmarkOptions(int images = DefaultImages, int sizeMegabytes = DefaultSizeMegabytes, int runs = DefaultRuns)
    {
        var problems = new List<string>();
        if (images < 1)
        {
            problems.Add($"--{ImagesArgument} must be at least 1 (it was {images})");
        }

        if (sizeMegabytes < 1)
        {
            problems.Add($"--{SizeArgument} must be at least 1 (it was {sizeMegabytes})");
        }

        if (runs < 1)
        {
            problems.Add($"--{RunsArgument} must be at least 1 (it was {runs})");
        }

        if (problems.Count > 0)
        {
            throw new BenchmarkException(string.Join("; ", problems) + ".");
        }

        Images = images;
        SizeMegabytes = sizeMegabytes;
        Runs = runs;
    }

    public int Images { get; }

    public int SizeMegabytes { get; }

    public int Runs { get; }

    public long LogicalBytes => SizeMegabytes * 1_000_000L;

    public override string ToString() => $"{Images} image(s), {SizeMegabytes} MB, {Runs} run(s)";
}
