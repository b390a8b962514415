namespace Lading.Recipes;

/// <summary>Every setting Lading knows, in one place: recipe key, argument, environment variable, meaning.</summary>
public static class SettingKeys
{
    public const string Name = "name";
    public const string ReleaseRepo = "releaseRepo";
    public const string Branch = "branch";
    public const string Version = "version";
    public const string BaseVersion = "baseVersion";
    public const string GitBaseUrl = "gitBaseUrl";
    public const string Output = "output";
    public const string Cache = "cache";
    public const string Work = "work";
    public const string Helm = "helm";
    public const string ForgeKind = "forge.kind";
    public const string ForgeUrl = "forge.url";
    public const string ForgeProject = "forge.project";
    public const string ForgeTokenEnv = "forge.tokenEnv";
    public const string Registry = "registry.internal";
    public const string SourceRegistry = "registry.source";
    public const string InsecureRegistries = "registry.insecure";
    public const string RegistryUserEnv = "registry.userEnv";
    public const string RegistryPasswordEnv = "registry.passwordEnv";
    public const string ImageLists = "images.lists";
    public const string ImageOrigin = "images.origin";
    public const string Platforms = "images.platforms";
    public const string Layout = "images.layout";
    public const string Concurrency = "images.concurrency";
    public const string MaxBlobGiB = "images.maxBlobGiB";
    public const string UploadUrl = "upload.url";
    public const string UploadUserEnv = "upload.userEnv";
    public const string UploadPasswordEnv = "upload.passwordEnv";
    public const string TagMessagePattern = "release.tagMessagePattern";
    public const string Strict = "release.strict";
    public const string AllowDirty = "release.allowDirty";
    public const string RenderExempt = "release.renderExempt";
    public const string AcceptListDrift = "release.acceptListDrift";
    public const string Package = "package";
    public const string Against = "against";
    public const string BasePackage = "basePackage";
    public const string Files = "offline.files";
    public const string Checksums = "offline.checksums";
    public const string SiteHost = "offline.siteHost";
    public const string SiteAddresses = "offline.siteAddresses";
    public const string SiteConfig = "offline.siteConfig";
    public const string SiteNginxImage = "offline.nginxImage";
    public const string SiteRegistryImage = "offline.registryImage";
    public const string OsBuilder = "offline.osBuilder";
    public const string Kubespray = "kubespray.source";
    public const string KubesprayRef = "kubespray.ref";
    public const string Arch = "kubespray.arch";
    public const string KubeVersion = "kubespray.kubeVersion";
    public const string KubesprayBaseImage = "kubespray.baseImage";

    /// <summary>Sections that hold lists of objects rather than settings.</summary>
    public const string Notify = "notify";
    public const string Targets = "targets";
    public const string Os = "os";

    public static IReadOnlyList<string> NotifyKinds { get; } = ["wecom", "dingtalk", "feishu", "slack", "json"];

    public static IReadOnlyList<Setting> All { get; } =
    [
        new(Name, "name", SettingKind.Text, "Package name: the first part of every package file name.", "platform"),
        new(ReleaseRepo, "release-repo", SettingKind.Text, "The release repo: a git URL (cloned under the work folder) or the path of a local working tree."),
        new(Branch, "branch", SettingKind.Text, "Branch of the release repo (default: its default branch)."),
        new(Version, "version", SettingKind.Text, "Release version, a tag of the release repo such as v2.10.2."),
        new(BaseVersion, "base-version", SettingKind.Text, "For a hotfix: the release it is installed on."),
        new(GitBaseUrl, "git-base-url", SettingKind.Text, "Prefix of component repositories: gitBaseUrl + repositoryFullName is cloned."),
        new(Output, "output", SettingKind.Text, "Folder for packages, summaries and reports.", "artifacts"),
        new(Cache, "cache", SettingKind.Text, "Content store shared by builds (blobs, charts, files).", "~/.cache/lading"),
        new(Work, "work", SettingKind.Text, "Scratch folder for clones and packages being assembled.", "work"),
        new(Helm, "helm", SettingKind.Text, "helm executable used to render charts (default: helm on PATH)."),
        new(ForgeKind, "forge", SettingKind.Choice, "Where pull or merge requests are opened.", "none", ["github", "gitlab", "none"]),
        new(ForgeUrl, "forge-url", SettingKind.Text, "API address of the forge (GitHub Enterprise or GitLab)."),
        new(ForgeProject, "forge-project", SettingKind.Text, "owner/name of the release repo on the forge."),
        new(ForgeTokenEnv, null, SettingKind.SecretName, "Environment variable holding the forge token.", "LADING_FORGE_TOKEN"),
        new(Registry, "registry", SettingKind.Text, "The internal registry (host[:port]) images are checked against and mirrored into."),
        new(SourceRegistry, "source-registry", SettingKind.Text, "Where site names (library/..., release/...) are pulled from: host[:port] or oci:<path>."),
        new(InsecureRegistries, "insecure-registries", SettingKind.List, "Registries reached over plain http (localhost always is)."),
        new(RegistryUserEnv, null, SettingKind.SecretName, "Environment variable holding the registry user.", "LADING_REGISTRY_USER"),
        new(RegistryPasswordEnv, null, SettingKind.SecretName, "Environment variable holding the registry password.", "LADING_REGISTRY_PASSWORD"),
        new(ImageLists, "images", SettingKind.Text, "An image list file, or a folder of *.list files.", "images"),
        new(ImageOrigin, "origin", SettingKind.Text, "images_origin.yaml mapping upstream sources to site names."),
        new(Platforms, "platform", SettingKind.List, "Platforms kept from multi-arch images (linux/amd64,linux/arm64 or all).", "linux/amd64"),
        new(Layout, "layout", SettingKind.Choice, "How images are laid out in a package.", "registry", ["registry", "oci", "both"]),
        new(Concurrency, "concurrency", SettingKind.Number, "Transfers at once per registry.", "4"),
        new(MaxBlobGiB, "max-blob-gib", SettingKind.Number, "Largest image blob or downloaded file accepted, in GiB; larger ones are refused before they are fetched.", "16"),
        new(UploadUrl, "upload", SettingKind.Text, "Where packages are uploaded: file:///folder/ or an http(s) URL accepting PUT."),
        new(UploadUserEnv, null, SettingKind.SecretName, "Environment variable holding the upload user.", "LADING_UPLOAD_USER"),
        new(UploadPasswordEnv, null, SettingKind.SecretName, "Environment variable holding the upload password.", "LADING_UPLOAD_PASSWORD"),
        new(TagMessagePattern, "tag-message-pattern", SettingKind.Text, "A regex an annotated tag's message must match for the tag to be released."),
        new(Strict, "strict", SettingKind.Flag, "Treat release warnings (charts missing from version.yml...) as errors.", "false"),
        new(AllowDirty, "allow-dirty", SettingKind.Flag, "Use a local release repo working tree even when it has uncommitted changes.", "false"),
        new(RenderExempt, "render-exempt", SettingKind.List, "Charts not rendered with helm, each as 'chart: reason'; their images come from their lists and annotations only, and the summary and chat notice name them."),
        new(AcceptListDrift, "accept-list-drift", SettingKind.Flag, "For a hotfix: when the committed image lists disagree with what the changed charts need, warn and ship what the charts need instead of failing.", "false"),
        new(Package, "package", SettingKind.Text, "A package tar to inspect, or the newer side of a diff."),
        new(Against, "against", SettingKind.Text, "The package tar a diff compares --package with."),
        new(BasePackage, "base-package", SettingKind.Text, "For a hotfix: the base release's package; blobs it holds are left out."),
        new(Files, "files", SettingKind.Text, "files.list: one URL a line, optionally followed by sha256:<hex>."),
        new(Checksums, "checksums", SettingKind.Text, "A sha256sum-format checksums file for files.list."),
        new(SiteHost, "site-host", SettingKind.Text, "Host name the offline site serves files, repos and images under (in the site.yaml the packages ship).", "offline.lading.local"),
        new(SiteAddresses, "site-addresses", SettingKind.List, "IP addresses of the offline site (in the site.yaml the packages ship)."),
        new(SiteConfig, "site-config", SettingKind.Text, "A site.yaml to ship pre-filled instead of one made from the site host and addresses (checked as install.sh checks it)."),
        new(SiteNginxImage, "site-nginx-image", SettingKind.Text, "The nginx image the site runs, saved into the package as an OCI archive.", "docker.io/library/nginx:1.27-alpine"),
        new(SiteRegistryImage, "site-registry-image", SettingKind.Text, "The registry image the site runs, saved into the package as an OCI archive.", "docker.io/library/registry:2.8.3"),
        new(Kubespray, "kubespray", SettingKind.Text, "The Kubespray source tree: a path, or a git URL fetched at --kubespray-ref."),
        new(KubesprayRef, "kubespray-ref", SettingKind.Text, "The Kubespray ref to use when --kubespray is a git URL: a tag (v2.26.0), a branch (release-2.26) or a full commit id."),
        new(Arch, "arch", SettingKind.Choice, "The architecture Kubespray's lists are generated for.", "amd64", ["amd64", "arm64"]),
        new(KubeVersion, "kube-version", SettingKind.Text, "The kube_version Kubespray's lists are generated for (default: Kubespray's own)."),
        new(KubesprayBaseImage, "kubespray-base-image", SettingKind.Text, "The Python image the Kubespray runner image is built on.", "docker.io/library/python:3.11-slim"),
        new(OsBuilder, "os-builder", SettingKind.Choice, "What builds rpm repositories: buildah or docker buildx.", "buildah", ["buildah", "buildx"]),
    ];

    public static Setting? Find(string key) => All.FirstOrDefault(s => s.Key == key);
}
