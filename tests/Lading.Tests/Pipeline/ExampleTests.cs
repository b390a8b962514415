using Cake.Core;
using Lading.Packaging;
using Lading.Recipes;
using Lading.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Lading.Tests.Pipeline;

/// <summary>The README's first command: ./build.sh with no arguments packages the built-in example, offline.</summary>
public sealed class ExampleTests : IDisposable
{
    private readonly TempFolder _folder = new("lading-example");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void With_no_arguments_the_example_is_packaged_without_helm_registry_or_network()
    {
        var run = HostHarness.RunLading(
            Requires.RepositoryRoot,
            new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" },
            [$"--output={_folder.Combine("out")}", $"--work={_folder.Combine("work")}", $"--cache={_folder.Combine("cache")}"]);

        Assert.True(run.ExitCode == 0, run.Output);
        var tar = Assert.Single(Directory.GetFiles(_folder.Combine("out"), "example-*.tar"));
        Assert.Contains("Package: " + tar, run.Output);
        var manifest = PackageManifest.ReadFromTar(tar);
        Assert.Equal(["cache", "console", "gateway"], manifest.Charts.Select(c => c.Name));
        Assert.Equal(3, manifest.Images.Count);
        Assert.Contains("no upload target given", run.Output);
    }
}
