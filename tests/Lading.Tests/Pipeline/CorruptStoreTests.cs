using System.Security.Cryptography;
using Lading.Images;
using Lading.Tests.Fixtures;
using Lading.Tests.Images;
using Lading.Tests.Registry;

namespace Lading.Tests.Pipeline;

/// <summary>A store blob changed on disk after it was stored is not trusted by the next (warm) build.</summary>
public sealed class CorruptStoreTests(PopulatedRegistry source) : IClassFixture<PopulatedRegistry>, IDisposable
{
    private readonly TempFolder _folder = new("lading-corrupt-store");

    public void Dispose() => _folder.Dispose();

    private HostRun Sync(string output) => HostHarness.RunLading(_folder.Path, null,
        ["--target=SyncImages", "--images=images.list", $"--source-registry={source.Server.Host}", $"--cache={_folder.Combine("cache")}", $"--output={output}"]);

    [SkippableFact]
    public void A_layer_corrupted_in_place_with_its_size_kept_is_fetched_again_and_the_package_gets_the_right_bytes()
    {
        _folder.Write("images.list", "library/plain:1.0\n");
        var first = Sync("first");
        var layer = source.Docker.Blobs[^1];
        var store = new ContentStore(_folder.Combine("cache"));
        ContentStoreReuseTests.Corrupt(store.PathOf(layer), at: 100);

        var again = Sync("again");

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Contains($"Blob {layer} in the image store", again.Output);
        var laidOut = _folder.Combine("again", "registry", "docker", "registry", "v2", "blobs", "sha256", layer.Hex[..2], layer.Hex, "data");
        Assert.Equal(layer, Digest.FromHash(SHA256.HashData(File.ReadAllBytes(laidOut))));
        Assert.Equal(source.Source.Read(layer), File.ReadAllBytes(store.PathOf(layer)));
    }
}
