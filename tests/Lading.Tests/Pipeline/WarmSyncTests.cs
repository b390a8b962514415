using Lading.Tests.Fixtures;
using Lading.Tests.Registry;

namespace Lading.Tests.Pipeline;

/// <summary>A re-package with a warm store costs what it must: one manifest request per image, hard links, nothing fetched.</summary>
public sealed class WarmSyncTests(PopulatedRegistry source) : IClassFixture<PopulatedRegistry>, IDisposable
{
    private readonly TempFolder _folder = new("lading-warm-sync");

    public void Dispose() => _folder.Dispose();

    [SkippableFact]
    public async Task A_warm_sync_sends_one_manifest_request_per_image_and_fetches_no_blob()
    {
        _ = source.Server;
        await using var proxy = new RegistryProxy(source.Server.Host);
        _folder.Write("images.list", "library/plain:1.0\nlibrary/oci:2.0\nrelease/multi:3.1\n");
        string[] Args(string output) => ["--target=SyncImages", "--images=images.list", $"--source-registry={proxy.Host}", $"--cache={_folder.Combine("cache")}", $"--output={output}", "--platform=all"];
        var cold = HostHarness.RunLading(_folder.Path, null, Args("cold"));
        var before = proxy.Requests.Count;

        var warm = HostHarness.RunLading(_folder.Path, null, Args("warm"));

        Assert.True(cold.ExitCode == 0, cold.Output);
        Assert.True(warm.ExitCode == 0, warm.Output);
        var asked = proxy.Requests.Skip(before).Select(r => $"{r.Method} {r.PathAndQuery}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
        [
            "HEAD /v2/library/oci/manifests/2.0",
            "HEAD /v2/library/plain/manifests/1.0",
            "HEAD /v2/release/multi/manifests/3.1",
        ], asked);
        Assert.True(File.Exists(_folder.Combine("warm", "registry", "docker", "registry", "v2", "repositories", "release", "multi", "_manifests", "tags", "3.1", "current", "link")));
    }
}
