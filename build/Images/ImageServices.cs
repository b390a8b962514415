using Lading.Images.Registry;

namespace Lading.Images;

/// <summary>
/// What every image task shares in one build, made once: the content store, one registry client (its per-registry
/// limits and tokens shared), the origin mapping, the source registry and the platforms to keep.
/// </summary>
public sealed class ImageServices(ContentStore store, RegistryClient registry, OriginMapping origin, ImageSource? source, PlatformSelection platforms, int concurrency)
{
    public ContentStore Store => store;

    public RegistryClient Registry => registry;

    public OriginMapping Origin => origin;

    /// <summary>Where site names (library/..., release/...) are fetched from, or null.</summary>
    public ImageSource? Source => source;

    public PlatformSelection Platforms => platforms;

    /// <summary>Transfers at once per registry.</summary>
    public int Concurrency => concurrency;

    /// <summary>The images of a list file or folder: their site names and where to fetch each.</summary>
    public ImagePlan Plan(string lists) => ImagePlan.Create(ImageList.Load(lists), origin, source);

    public ImagePlan Plan(ImageList list) => ImagePlan.Create(list, origin, source);

    /// <summary>A sync into <paramref name="into"/> (the store unless a counting or test store is given).</summary>
    public ImageSync Sync(IBlobStore? into = null) => new([new RegistryFetcher(registry), new OciLayoutFetcher()], into ?? store, concurrency);

    /// <summary>
    /// The credential chain: the recipe's user and password, sent only to the platform's own registries (internal and
    /// source), then ~/.docker/config.json.
    /// </summary>
    public static IRegistryCredentialSource Credentials(string? user, string? password, IEnumerable<string?> ownRegistries, string dockerConfig)
    {
        var explicitCredentials = new ExplicitCredentials();
        if (user is not null && password is not null)
        {
            foreach (var host in ownRegistries.OfType<string>().Where(h => !h.StartsWith(ImageList.OciPrefix, StringComparison.Ordinal)).Distinct())
            {
                explicitCredentials.Add(host, user, password);
            }
        }

        return File.Exists(dockerConfig)
            ? new ChainedCredentials(explicitCredentials, DockerConfigCredentials.Load(dockerConfig))
            : explicitCredentials;
    }
}
