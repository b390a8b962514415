using Cake.Frosting;
using Lading.Benchmark;

namespace Lading.Recipes;

/// <summary>Every --name Lading reads besides the host's own options: the settings, --recipe and the benchmark's sizes.</summary>
public static class BuildArguments
{
    public static IKnownArguments Known { get; } = new KnownArguments(
        SettingKeys.All.Select(s => s.Argument).OfType<string>()
            .Append(RecipeSession.RecipeArgument)
            .Concat([BenchmarkOptions.ScaleArgument, BenchmarkOptions.ImagesArgument, BenchmarkOptions.SizeArgument, BenchmarkOptions.RunsArgument, BenchmarkOptions.ChartsArgument]),
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            // The singular is what users type after other tools' --insecure-registry.
            ["insecure-registry"] = "insecure-registries",
        });
}
