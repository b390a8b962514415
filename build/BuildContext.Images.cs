using Cake.Core.Diagnostics;
using Lading.Images;
using Lading.Images.Registry;
using Lading.Recipes;

namespace Lading;

/// <summary>What image tasks share: the content store, one registry client, the image plan.</summary>
public sealed partial class BuildContext
{
    private RegistryClient? _registryClient;

    public ContentStore Store => new(PathOf(SettingKeys.Cache));

    public PlatformSelection Platforms => PlatformSelection.Parse(string.Join(',', Settings.List(SettingKeys.Platforms)));

    /// <summary>One client per build, so its per-registry limits and tokens are shared by every task.</summary>
    public RegistryClient RegistryClient => _registryClient ??= new RegistryClient(new RegistryClientOptions
    {
        Credentials = RegistryCredentials(),
        MaxConcurrencyPerRegistry = Settings.Number(SettingKeys.Concurrency),
        InsecureRegistries = Settings.List(SettingKeys.InsecureRegistries),
        Log = line => Log.Verbose(line),
    });

    /// <summary>
    /// The image lists a task works on: --images when given, else the release repo's images/ when there is one,
    /// else the default images folder.
    /// </summary>
    public string ImageListsPath =>
        Settings.IsGiven(SettingKeys.ImageLists) ? PathOf(SettingKeys.ImageLists)
        : GeneratedLists is { } generated ? Path.Combine(generated, Lading.Kubespray.KubesprayLists.ImagesName)
        : Settings.Has(SettingKeys.ReleaseRepo) ? ReleaseRepo.PathOf("images")
        : PathOf(SettingKeys.ImageLists);

    /// <summary>The folder GenerateKubesprayLists wrote files.list and images.list to, for the steps after it.</summary>
    public string? GeneratedLists { get; set; }

    public OriginMapping Origin
    {
        get
        {
            if (Settings.Has(SettingKeys.ImageOrigin))
            {
                return OriginMapping.Load(PathOf(SettingKeys.ImageOrigin));
            }

            var inRepo = Settings.Has(SettingKeys.ReleaseRepo) ? ReleaseRepo.PathOf("images_origin.yaml") : null;
            return inRepo is not null && File.Exists(inRepo) ? OriginMapping.Load(inRepo) : OriginMapping.Empty;
        }
    }

    /// <summary>The source registry as the image plan takes it: host[:port], or oci:&lt;absolute folder&gt;.</summary>
    public string? SourceRegistry => Settings.Text(SettingKeys.SourceRegistry) is { } source && source.StartsWith("oci:", StringComparison.Ordinal)
        ? "oci:" + Path.GetFullPath(source[4..], Environment.WorkingDirectory.FullPath)
        : Settings.Text(SettingKeys.SourceRegistry);

    public ImagePlan ImagePlan(string lists) => Lading.Images.ImagePlan.Create(ImageList.Load(lists), Origin, SourceRegistry);

    public ImageSync ImageSync(IBlobStore store) =>
        new([new RegistryFetcher(RegistryClient), new OciLayoutFetcher()], store, Settings.Number(SettingKeys.Concurrency));

    private IRegistryCredentialSource RegistryCredentials()
    {
        var explicitCredentials = new ExplicitCredentials();
        var user = Settings.Secret(SettingKeys.RegistryUserEnv);
        var password = Settings.Secret(SettingKeys.RegistryPasswordEnv);
        if (user is not null && password is not null)
        {
            // The recipe's credentials are for the platform's own registries, never sent elsewhere.
            foreach (var host in new[] { Settings.Text(SettingKeys.Registry), Settings.Text(SettingKeys.SourceRegistry) }.OfType<string>().Where(h => !h.StartsWith("oci:", StringComparison.Ordinal)).Distinct())
            {
                explicitCredentials.Add(host, user, password);
            }
        }

        var dockerConfig = DockerConfigCredentials.DefaultPath();
        return File.Exists(dockerConfig)
            ? new ChainedCredentials(explicitCredentials, DockerConfigCredentials.Load(dockerConfig))
            : explicitCredentials;
    }
}
