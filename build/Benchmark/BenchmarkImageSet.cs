namespace Lading.Benchmark;

/// <summary>One layer of the generated images: random bytes of a size, named so that images sharing it share its digest.</summary>
public sealed record BenchmarkLayer(string Name, long Size);

/// <summary>One generated image: where it goes in the local registry and the layers it stacks.</summary>
public sealed record BenchmarkImage(string Repository, string Tag, IReadOnlyList<BenchmarkLayer> Layers)
{
    public string Name => $"{Repository}:{Tag}";
}

/// <summary>
/// The images the benchmark generates, as a plan: every image stacks one base layer all share, one of a few
/// "family" layers (a language runtime, say) and two layers of its own, as release images do.
/// </summary>
public static class BenchmarkImageSet
{
    public const string Tag = "1.0";
    public const int Families = 3;

    // Shares of one image's size: the base, its family's layer, its own two layers.
    private const double BaseShare = 0.30;
    private const double FamilyShare = 0.20;
    private const double OwnShare = 0.35;

    public static IReadOnlyList<BenchmarkImage> Plan(BenchmarkOptions options)
    {
        var perImage = options.LogicalBytes / options.Images;
        var families = Math.Min(Families, options.Images);
        var baseLayer = new BenchmarkLayer("base", Share(perImage, BaseShare));
        var familyLayers = Enumerable.Range(0, families).Select(f => new BenchmarkLayer($"family-{f}", Share(perImage, FamilyShare))).ToArray();
        var ownSize = Share(perImage, OwnShare);
        var restSize = Math.Max(1, perImage - baseLayer.Size - familyLayers[0].Size - ownSize);
        return Enumerable.Range(0, options.Images)
            .Select(i => new BenchmarkImage(
                $"bench/app-{i:D3}",
                Tag,
                [baseLayer, familyLayers[i % families], new BenchmarkLayer($"app-{i:D3}-libs", ownSize), new BenchmarkLayer($"app-{i:D3}-bin", restSize)]))
            .ToList();
    }

    /// <summary>What the images weigh if each is stored alone (a layer per image that uses it).</summary>
    public static long LogicalBytes(IEnumerable<BenchmarkImage> images) => images.Sum(i => i.Layers.Sum(l => l.Size));

    /// <summary>What they weigh with each layer stored once.</summary>
    public static long UniqueBytes(IEnumerable<BenchmarkImage> images) => images.SelectMany(i => i.Layers).DistinctBy(l => l.Name).Sum(l => l.Size);

    private static long Share(long size, double share) => Math.Max(1, (long)(size * share));
}
