namespace Lading.Benchmark;

/// <summary>One layer of the generated images: random bytes of a size, named so that images sharing it share its digest.</summary>
public sealed record BenchmarkLayer(string Name, long Size);

/// <summary>One generated image: where it goes in the local registry and the layers it stacks.</summary>
public sealed record BenchmarkImage(string Repository, string Tag, IReadOnlyList<BenchmarkLayer> Layers)
{
    public string Name => $"{Repository}:{Tag}";
}

/// <summary>
/// The images the benchmark generates, as a plan shaped like a platform release: a few versions of each component's
/// repository; every image stacks one of three base images (two layers; most take the same one), its family's runtime
/// layer (components of a family share it) and one to four layers of its own.
/// </summary>
public static class BenchmarkImageSet
{
    public const string RepositoryPrefix = "release/svc-";

    // Shares of one image's size: its base image, its family's runtime, its own layers.
    private const double BaseShare = 0.40;
    private const double FamilyShare = 0.25;

    private static readonly string[] Bases = ["debian", "alpine", "distroless"];

    public static IReadOnlyList<BenchmarkImage> Plan(BenchmarkOptions options)
    {
        var perImage = options.LogicalBytes / options.Images;
        var repositories = options.Repositories;
        var families = Families(repositories);
        var baseSize = Share(perImage, BaseShare);
        var bases = Bases.ToDictionary(b => b, b => new[]
        {
            new BenchmarkLayer($"base-{b}-os", Math.Max(1, baseSize * 3 / 4)),
            new BenchmarkLayer($"base-{b}-certs", Math.Max(1, baseSize - (baseSize * 3 / 4))),
        });
        var runtimes = Enumerable.Range(0, families).Select(f => new BenchmarkLayer($"family-{f}-runtime", Share(perImage, FamilyShare))).ToArray();
        var shared = baseSize + runtimes[0].Size;
        var ownSize = Math.Max(1, perImage - shared);
        return Enumerable.Range(0, options.Images)
            .Select(i =>
            {
                var repository = i % repositories;
                var name = $"{RepositoryPrefix}{repository:D2}";
                var tag = $"1.{i / repositories}.0";
                var random = new Random(i);
                var own = OwnLayers($"svc-{repository:D2}-{tag}", ownSize, 1 + random.Next(4), random);
                return new BenchmarkImage(name, tag, [.. bases[BaseOf(repository)], runtimes[repository % families], .. own]);
            })
            .ToList();
    }

    /// <summary>The runtime families: one per five repositories, from one to eight.</summary>
    public static int Families(int repositories) => Math.Clamp((repositories + 4) / 5, 1, 8);

    /// <summary>Seven repositories in ten are on the common base, two on the small one, one on the minimal one.</summary>
    public static string BaseOf(int repository) => (repository % 10) switch
    {
        < 7 => Bases[0],
        < 9 => Bases[1],
        _ => Bases[2],
    };

    /// <summary>What the images weigh if each is stored alone (a layer per image that uses it).</summary>
    public static long LogicalBytes(IEnumerable<BenchmarkImage> images) => images.Sum(i => i.Layers.Sum(l => l.Size));

    /// <summary>What they weigh with each layer stored once.</summary>
    public static long UniqueBytes(IEnumerable<BenchmarkImage> images) => images.SelectMany(i => i.Layers).DistinctBy(l => l.Name).Sum(l => l.Size);

    private static IEnumerable<BenchmarkLayer> OwnLayers(string prefix, long size, int count, Random random)
    {
        var weights = Enumerable.Range(0, count).Select(_ => 1 + random.Next(4)).ToArray();
        var left = size;
        for (var layer = 0; layer < count; layer++)
        {
            var part = layer == count - 1 ? left : Math.Max(1, size * weights[layer] / weights.Sum());
            left -= part;
            yield return new BenchmarkLayer($"{prefix}-layer-{layer}", Math.Max(1, part));
        }
    }

    private static long Share(long size, double share) => Math.Max(1, (long)(size * share));
}
