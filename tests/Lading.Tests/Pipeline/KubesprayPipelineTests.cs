using Lading.Images;
using Lading.Images.Registry;
using Lading.Packaging;
using Lading.Tests.Fixtures;
using Lading.Tests.Images;
using Lading.Tests.Kubespray;
using Lading.Tests.Registry;

namespace Lading.Tests.Pipeline;

/// <summary>./build.sh --target=Kubespray on a Kubespray-shaped tree whose downloads and images live on loopback.</summary>
public sealed class KubesprayPipelineTests : IDisposable
{
    private readonly TempFolder _folder = new("lading-kubespray");
    private readonly KubesprayShapedTree _tree = new();

    public void Dispose()
    {
        _tree.Dispose();
        _folder.Dispose();
    }

    private static readonly string[] Images = ["pause:3.9", "flannel/flannel:v0.25.1", "kube-apiserver:v1.30.4", "kube-proxy:v1.30.4"];

    /// <summary>The tree's images in a registry and its files on an nginx, both on loopback, and the tree pointed at them.</summary>
    private async Task<(DockerRegistry Registry, NginxServer Nginx, Digest Image)> UpstreamAsync()
    {
        Requires.Tool("ansible-playbook", "ansible-core");
        var registry = await DockerRegistry.StartAsync();
        var nginx = await NginxServer.StartAsync();
        var store = new FolderBlobStore(_folder.Combine("images-source"));
        var image = await new FolderImages(store).DockerImageAsync("amd64", await new FolderImages(store).LayerAsync(20_000));
        using (var client = new RegistryClient(PopulatedRegistry.FastOptions()))
        {
            foreach (var name in Images)
            {
                var (repository, tag) = (name[..name.IndexOf(':')], name[(name.IndexOf(':') + 1)..]);
                await client.PushImageAsync(new RegistryRepository(registry.Host, repository), tag, image.Digest, store, CancellationToken.None);
            }
        }

        foreach (var file in new[] { "release/v1.30.4/bin/linux/amd64/kubelet", "release/v1.30.4/bin/linux/amd64/kubectl", "containernetworking/plugins/releases/download/v1.4.0/cni-plugins-linux-amd64-v1.4.0.tgz" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(nginx.PathOf(file))!);
            File.WriteAllText(nginx.PathOf(file), file);
        }

        // The tree's download locations, pointed at the loopback servers.
        var defaults = File.ReadAllText(Path.Combine(_tree.Root, "roles/kubespray-defaults/defaults/main/main.yml"));
        _tree.Write("roles/kubespray-defaults/defaults/main/main.yml", defaults.Replace("registry.k8s.io", registry.Host).Replace("docker_image_repo: docker.io", $"docker_image_repo: {registry.Host}"));
        var downloads = File.ReadAllText(Path.Combine(_tree.Root, _tree.DownloadVariables));
        _tree.Write(_tree.DownloadVariables, downloads.Replace("https://dl.k8s.io", nginx.BaseUri.ToString().TrimEnd('/')).Replace("https://github.com", nginx.BaseUri.ToString().TrimEnd('/')));

        return (registry, nginx, image.Digest);
    }

    [SkippableFact]
    public async Task The_lists_come_from_kubesprays_script_and_the_package_serves_what_they_name()
    {
        var (registry, nginx, image) = await UpstreamAsync();
        await using var upstreamRegistry = registry;
        using var upstreamFiles = nginx;
        // flannel is stored under another name: the cluster config must send Kubespray there.
        _folder.Write("images_origin.yaml", $"- {{src: {registry.Host}/flannel/flannel, dest: library/flannel}}\n");

        var run = HostHarness.RunLading(_folder.Path, null, ["--target=Kubespray", $"--kubespray={_tree.Root}", "--name=paas", "--version=v2.25.0", $"--cache={_folder.Combine("cache")}", "--output=out", "--origin=images_origin.yaml"]);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Every image and file Kubespray asks for resolves on offline.lading.local (4 variable(s) of their own: ", run.Output);
        Assert.Contains($"{registry.Host}/pause:3.9", File.ReadAllText(_folder.Combine("out", "images.list")));
        Assert.Contains("no internal registry given (--registry): the Kubespray image is pushed there", run.Output);
        var tar = _folder.Combine("out", "paas-kubespray-v2.25.0.tar");
        await SafeTarExtractor.ExtractFileAsync(tar, _folder.Combine("site"), CancellationToken.None);
        var root = _folder.Combine("site", "paas-kubespray-v2.25.0");
        var manifest = PackageManifest.Parse(File.ReadAllText(Path.Combine(root, PackageManifest.FileName)), tar);
        Assert.Equal(
            manifest.Files.Select(f => f.Path).Append(PackageManifest.FileName).Order(StringComparer.Ordinal),
            Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal));
        Assert.Equal("release/v1.30.4/bin/linux/amd64/kubelet", File.ReadAllText(Path.Combine(root, "files", $"127.0.0.1:{nginx.Port}", "release/v1.30.4/bin/linux/amd64/kubelet")));
        foreach (var part in new[] { "inventory/hosts.yaml", "inventory/group_vars/all/offline.yml", "site/offline-site.yml", "site/prepare-nodes.yml", "site/record-system-info.yml", "site/templates/hosts.toml.j2", "load.sh", "install.sh" })
        {
            Assert.True(File.Exists(Path.Combine(root, part)), part);
        }

        var config = File.ReadAllText(Path.Combine(root, "inventory/group_vars/all/offline.yml"));
        Assert.Contains("flannel_image_repo: \"{{ registry_host }}/library/flannel\"\n", config);
        Assert.Contains("kube_image_repo: \"{{ registry_host }}/library\"\n", config);
        Assert.Contains($"dl_k8s_io_url: \"{{{{ files_repo }}}}/127.0.0.1:{nginx.Port}\"\n", config);
        Assert.Contains($"  - prefix: \"{registry.Host}\"\n", config);
        Assert.Equal(Images.Length, manifest.Images.Count);

        using var served = await DockerRegistry.StartAsync(Path.Combine(root, "images", "registry"), readOnly: true);
        foreach (var packaged in manifest.Images)
        {
            Assert.Equal(image, await Skopeo.RawDigestAsync(served.Host, packaged.Name));
        }
    }

    [SkippableFact]
    public async Task A_name_kubespray_would_not_find_on_the_site_fails_the_package_saying_which()
    {
        var (registry, nginx, _) = await UpstreamAsync();
        await using var upstreamRegistry = registry;
        using var upstreamFiles = nginx;
        // kubeadm's images are named by kube_image_repo plus their own name: one of them elsewhere cannot be reached.
        _folder.Write("images_origin.yaml", $"- {{src: {registry.Host}/kube-apiserver, dest: release/apiserver}}\n");

        var run = HostHarness.RunLading(_folder.Path, null, ["--target=Kubespray", $"--kubespray={_tree.Root}", "--name=paas", "--version=v2.25.0", $"--cache={_folder.Combine("cache")}", "--output=out", "--origin=images_origin.yaml"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Kubespray would not find everything on the site offline.lading.local with this cluster config:", run.Output);
        Assert.Contains($"  {registry.Host}/kube-apiserver:v1.30.4: Kubespray would pull offline.lading.local:5000/kube-apiserver:v1.30.4, but the site serves it as offline.lading.local:5000/release/apiserver:v1.30.4", run.Output);
        Assert.False(File.Exists(_folder.Combine("out", "paas-kubespray-v2.25.0.tar")));
    }

    [SkippableFact]
    public void Changed_lists_are_proposed_to_the_kubespray_release_repo_and_equal_ones_are_not()
    {
        Requires.Tool("ansible-playbook", "ansible-core");
        GitRepo.Init(_tree.Root).Commit("kubespray").Tag("v2.25.0", "Kubespray v2.25.0");
        var release = GitRepo.Init(_folder.Combine("kubespray-release")).Write("files.list", "old\n").Write("images.list", "old\n").Commit("lists");
        var origin = _folder.Combine("origin.git");
        Shell.Run("git", ["clone", "--quiet", "--bare", release.Path, origin]);
        release.Git("remote", "add", "origin", origin);

        var first = HostHarness.RunLading(_folder.Path, null, ["--target=ProposeListChanges", $"--kubespray={_tree.Root}", "--kubespray-ref=v2.25.0", $"--release-repo={release.Path}", "--output=out"]);

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("Pushed lading/kubespray-v2.25.0 to origin", first.Output);
        var proposed = Shell.Run("git", ["-C", origin, "show", "lading/kubespray-v2.25.0:images.list"]).Output;
        Assert.Equal(File.ReadAllText(_folder.Combine("out", "images.list")), proposed);

        release.Write("files.list", File.ReadAllText(_folder.Combine("out", "files.list"))).Write("images.list", proposed).Commit("merged");
        var second = HostHarness.RunLading(_folder.Path, null, ["--target=ProposeListChanges", $"--kubespray={_tree.Root}", "--kubespray-ref=v2.25.0", $"--release-repo={release.Path}", "--output=out"]);

        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("nothing to propose", second.Output);
    }

    [SkippableFact]
    public async Task A_package_from_a_release_repo_is_built_from_the_lists_of_its_tag_only()
    {
        var (registry, nginx, _) = await UpstreamAsync();
        await using var upstreamRegistry = registry;
        using var upstreamFiles = nginx;
        var generated = HostHarness.RunLading(_folder.Path, null, ["--target=GenerateKubesprayLists", $"--kubespray={_tree.Root}", "--output=reviewed"]);
        Assert.True(generated.ExitCode == 0, generated.Output);

        // The reviewed lists are merged and tagged; a later commit on the branch is not reviewed yet.
        var release = GitRepo.Init(_folder.Combine("kubespray-release"))
            .Write("files.list", File.ReadAllText(_folder.Combine("reviewed", "files.list")))
            .Write("images.list", File.ReadAllText(_folder.Combine("reviewed", "images.list")))
            .Commit("lists for v2.25.0");
        var tag = HostHarness.RunLading(_folder.Path, null, ["--target=TagKubespray", $"--release-repo={release.Path}", "--version=v2.25.0"]);
        Assert.True(tag.ExitCode == 0, tag.Output);
        Assert.Equal("Kubespray lists v2.25.0\n\nfiles.list: 3 file(s)\nimages.list: 4 image(s)", release.Git("tag", "--list", "--format=%(contents)", "v2.25.0").Trim());
        release.Write("images.list", "unreviewed.example.com/not/merged:1\n").Commit("not reviewed");

        var unversioned = HostHarness.RunLading(_folder.Path, null, ["--target=Kubespray", $"--kubespray={_tree.Root}", $"--release-repo={release.Path}", "--name=paas", $"--cache={_folder.Combine("cache")}", "--output=out"]);
        Assert.Equal(1, unversioned.ExitCode);
        Assert.Contains("A Kubespray package built from a release repo is built from a tag of it: pass --version=<tag>", unversioned.Output);

        var run = HostHarness.RunLading(_folder.Path, null, ["--target=Kubespray", $"--kubespray={_tree.Root}", $"--release-repo={release.Path}", "--name=paas", "--version=v2.25.0", $"--cache={_folder.Combine("cache")}", "--output=out"]);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Skipping: the package is built from the lists tagged in the Kubespray release repo", run.Output);
        Assert.Equal(File.ReadAllText(_folder.Combine("reviewed", "images.list")), File.ReadAllText(_folder.Combine("out", "images.list")));
        var manifest = PackageManifest.ReadFromTar(_folder.Combine("out", "paas-kubespray-v2.25.0.tar"));
        Assert.Equal(Images.Length, manifest.Images.Count);
        Assert.DoesNotContain(manifest.Images, i => i.Name.Contains("unreviewed", StringComparison.Ordinal));

        var again = HostHarness.RunLading(_folder.Path, null, ["--target=TagKubespray", $"--release-repo={release.Path}", "--version=v2.25.0"]);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("v2.25.0 already exists at", again.Output);
    }
}
