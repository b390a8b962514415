using Lading.Images.Registry;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Registry;

/// <summary>
/// A docker-registry without auth holding images pushed through the client at start: a docker v2 image and an OCI image
/// sharing two base layers, and a multi-arch OCI index (amd64 + arm64/v8).
/// </summary>
public sealed class PopulatedRegistry : IAsyncLifetime
{
    private readonly TempFolder _folder = new("lading-images");

    private DockerRegistry? _server;
    private string? _missing;

    /// <summary>The running registry; a test using it is skipped when docker-registry is not installed (outside CI).</summary>
    public DockerRegistry Server => _server ?? throw new SkipException(_missing ?? "the registry did not start");

    public FolderBlobStore Source { get; private set; } = null!;

    public FolderImage Docker { get; private set; } = null!;

    public FolderImage Oci { get; private set; } = null!;

    public FolderImage Multi { get; private set; } = null!;

    public FolderImage MultiAmd64 { get; private set; } = null!;

    public FolderImage MultiArm64 { get; private set; } = null!;

    public static RegistryClientOptions FastOptions(Action<string>? log = null) => new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        RetryMaxDelay = TimeSpan.FromSeconds(3),
        ResponseTimeout = TimeSpan.FromSeconds(30),
        Log = log ?? (_ => { }),
    };

    public RegistryRepository Repository(string path) => new(Server.Host, path);

    public async Task InitializeAsync()
    {
        try
        {
            _server = await DockerRegistry.StartAsync();
        }
        catch (SkipException missing)
        {
            _missing = missing.Message;
            return;
        }

        Source = new FolderBlobStore(_folder.Combine("source"));
        var images = new FolderImages(Source);
        var base1 = await images.LayerAsync(200_000);
        var base2 = await images.LayerAsync(50_000);
        Docker = await images.DockerImageAsync("amd64", base1, base2, await images.LayerAsync(30_000));
        Oci = await images.OciImageAsync("amd64", null, base1, base2, await images.LayerAsync(40_000));
        MultiAmd64 = await images.OciImageAsync("amd64", null, base1, await images.LayerAsync(20_000));
        MultiArm64 = await images.OciImageAsync("arm64", "v8", await images.LayerAsync(25_000));
        Multi = await images.OciIndexAsync((MultiAmd64, "amd64", null), (MultiArm64, "arm64", "v8"));

        using var client = new RegistryClient(FastOptions());
        await client.PushImageAsync(Repository("library/plain"), "1.0", Docker.Digest, Source, CancellationToken.None);
        await client.PushImageAsync(Repository("library/oci"), "2.0", Oci.Digest, Source, CancellationToken.None, mountFrom: "library/plain");
        await client.PushImageAsync(Repository("release/multi"), "3.1", Multi.Digest, Source, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _folder.Dispose();
    }
}
