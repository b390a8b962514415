using Lading.Charts;
using Lading.Chat;
using Lading.Images;
using Lading.Images.Registry;
using Lading.OsRepos;

namespace Lading.Recipes;

// The typed sections of a build's settings, one record per area, each built once from SettingKeys by BuildLifetime.
// Folders are absolute here; secrets are the values of the variables the recipe names.

/// <summary>The folders a build works in, absolute.</summary>
public sealed record BuildPaths(string WorkingDirectory, string Output, string Cache, string Work)
{
    public static BuildPaths From(BuildSettings settings, string workingDirectory) => new(
        workingDirectory,
        Absolute(settings.Text(SettingKeys.Output)!, workingDirectory),
        Absolute(settings.Text(SettingKeys.Cache)!, workingDirectory),
        Absolute(settings.Text(SettingKeys.Work)!, workingDirectory));

    /// <summary>A path made absolute against the working folder; a leading ~ is the home folder.</summary>
    public string Absolute(string path) => Absolute(path, WorkingDirectory);

    public string? AbsoluteOrNull(string? path) => path is null ? null : Absolute(path);

    private static string Absolute(string path, string workingDirectory)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~', '/'));
        }

        return Path.GetFullPath(path, workingDirectory);
    }
}

/// <summary>Where images come from and go to, and how they are moved.</summary>
public sealed record ImageSettings(
    string? Lists,
    string? Origin,
    PlatformSelection Platforms,
    ImageLayoutKind Layout,
    int Concurrency,
    long MaxBlobSize,
    string? InternalRegistry,
    string? SourceRegistry,
    IReadOnlyList<string> InsecureRegistries,
    string? User,
    string? Password)
{
    public static ImageSettings From(BuildSettings settings, BuildPaths paths) => new(
        settings.IsGiven(SettingKeys.ImageLists) ? paths.Absolute(settings.Text(SettingKeys.ImageLists)!) : null,
        paths.AbsoluteOrNull(settings.Text(SettingKeys.ImageOrigin)),
        PlatformSelection.Parse(string.Join(',', settings.List(SettingKeys.Platforms))),
        PackageImages.ParseLayout(settings.Text(SettingKeys.Layout)!),
        settings.Number(SettingKeys.Concurrency),
        (long)settings.Number(SettingKeys.MaxBlobGiB) << 30,
        settings.Text(SettingKeys.Registry),
        settings.Text(SettingKeys.SourceRegistry) is { } source && source.StartsWith(ImageList.OciPrefix, StringComparison.Ordinal)
            ? ImageList.OciPrefix + paths.Absolute(source[ImageList.OciPrefix.Length..])
            : settings.Text(SettingKeys.SourceRegistry),
        settings.List(SettingKeys.InsecureRegistries),
        settings.Secret(SettingKeys.RegistryUserEnv),
        settings.Secret(SettingKeys.RegistryPasswordEnv));

    /// <summary>The default image lists folder when neither --images, the release repo nor generated lists give one.</summary>
    public const string DefaultLists = "images";

    // A record's generated ToString would print the password.
    public override string ToString() => $"images from {Lists ?? "(default)"}, source {SourceRegistry ?? "(none)"}, registry {InternalRegistry ?? "(none)"}";
}

/// <summary>The release repo, its components and the rules of a release.</summary>
public sealed record ReleaseSettings(
    string? Repo,
    string? Branch,
    string? GitBaseUrl,
    string? Version,
    string? BaseVersion,
    string? TagMessagePattern,
    bool Strict,
    bool AllowDirty,
    string? Helm,
    IReadOnlyList<RenderExemption> RenderExemptions,
    bool AcceptListDrift)
{
    public static ReleaseSettings From(BuildSettings settings) => new(
        settings.Text(SettingKeys.ReleaseRepo),
        settings.Text(SettingKeys.Branch),
        settings.Text(SettingKeys.GitBaseUrl),
        settings.Text(SettingKeys.Version),
        settings.Text(SettingKeys.BaseVersion),
        settings.Text(SettingKeys.TagMessagePattern),
        settings.Flag(SettingKeys.Strict),
        settings.Flag(SettingKeys.AllowDirty),
        settings.Text(SettingKeys.Helm),
        settings.List(SettingKeys.RenderExempt).Select(RenderExemption.Parse).ToList(),
        settings.Flag(SettingKeys.AcceptListDrift));
}

/// <summary>The package a build makes, or the packages it reads.</summary>
public sealed record PackageSettings(string Name, string? Version, string? BaseVersion, string? Package, string? Against, string? BasePackage)
{
    public static PackageSettings From(BuildSettings settings, BuildPaths paths) => new(
        settings.Text(SettingKeys.Name)!,
        settings.Text(SettingKeys.Version),
        settings.Text(SettingKeys.BaseVersion),
        paths.AbsoluteOrNull(settings.Text(SettingKeys.Package)),
        paths.AbsoluteOrNull(settings.Text(SettingKeys.Against)),
        paths.AbsoluteOrNull(settings.Text(SettingKeys.BasePackage)));
}

/// <summary>Where packages are uploaded, and with which credentials.</summary>
public sealed record UploadSettings(string? Url, string? User, string? Password)
{
    public static UploadSettings From(BuildSettings settings) => new(
        settings.Text(SettingKeys.UploadUrl),
        settings.Secret(SettingKeys.UploadUserEnv),
        settings.Secret(SettingKeys.UploadPasswordEnv));

    public override string ToString() => $"upload to {Url ?? "(nowhere)"}";
}

/// <summary>The offline-resources package: files, OS repositories and the site that serves them.</summary>
public sealed record OfflineSettings(
    string? Files,
    string? Checksums,
    string SiteHost,
    IReadOnlyList<string> SiteAddresses,
    string? SiteConfig,
    string NginxImage,
    string RegistryImage,
    ContainerBuilder OsBuilder,
    IReadOnlyList<OsTargetEntry> OsTargets)
{
    public static OfflineSettings From(BuildSettings settings, BuildPaths paths) => new(
        paths.AbsoluteOrNull(settings.Text(SettingKeys.Files)),
        paths.AbsoluteOrNull(settings.Text(SettingKeys.Checksums)),
        settings.Text(SettingKeys.SiteHost)!,
        settings.List(SettingKeys.SiteAddresses),
        paths.AbsoluteOrNull(settings.Text(SettingKeys.SiteConfig)),
        settings.Text(SettingKeys.SiteNginxImage)!,
        settings.Text(SettingKeys.SiteRegistryImage)!,
        settings.Text(SettingKeys.OsBuilder) == "buildx" ? ContainerBuilder.DockerBuildx : ContainerBuilder.Buildah,
        settings.OsTargets.Select(t => t with { List = paths.Absolute(t.List) }).ToList());
}

/// <summary>The Kubespray tree a Kubespray package is made from.</summary>
public sealed record KubespraySettings(string? Source, string? Ref, string Arch, string? KubeVersion, string BaseImage)
{
    public static KubespraySettings From(BuildSettings settings, BuildPaths paths) => new(
        settings.Text(SettingKeys.Kubespray) is { } source && Directory.Exists(paths.Absolute(source)) ? paths.Absolute(source) : settings.Text(SettingKeys.Kubespray),
        settings.Text(SettingKeys.KubesprayRef),
        settings.Text(SettingKeys.Arch)!,
        settings.Text(SettingKeys.KubeVersion),
        settings.Text(SettingKeys.KubesprayBaseImage)!);

    /// <summary>The tag the package and its runner image are named after.</summary>
    public string Version => Ref ?? "latest";
}

/// <summary>Where pull or merge requests are opened.</summary>
public sealed record ForgeSettings(string Kind, string? Url, string? Project, string TokenVariable, string? Token)
{
    public static ForgeSettings From(BuildSettings settings) => new(
        settings.Text(SettingKeys.ForgeKind)!,
        settings.Text(SettingKeys.ForgeUrl),
        settings.Text(SettingKeys.ForgeProject),
        settings.Text(SettingKeys.ForgeTokenEnv)!,
        settings.Secret(SettingKeys.ForgeTokenEnv));

    public override string ToString() => $"{Kind} {Project} (token in {TokenVariable})";
}

/// <summary>The chats a build tells.</summary>
public sealed record NotifySettings(IReadOnlyList<ChatTarget> Chats)
{
    public static NotifySettings From(BuildSettings settings) =>
        new(settings.Notifications.Select(n => new ChatTarget(n.Kind, n.UrlEnv, settings.Variable(n.UrlEnv), n.Location.ToString())).ToList());
}
