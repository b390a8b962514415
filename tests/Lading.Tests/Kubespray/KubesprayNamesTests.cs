using Lading.Images;
using Lading.Kubespray;

namespace Lading.Tests.Kubespray;

/// <summary>Comparing Kubespray's lists as upstream and with the cluster config against what the package holds.</summary>
public sealed class KubesprayNamesTests
{
    private const string Registry = "offline.site.test:5443";
    private const string FilesUrl = "https://offline.site.test:8081/files";

    private static readonly KubesprayRendering Upstream = new(
        [
            new RenderedEntry("https://dl.k8s.io/release/v1.30.4/bin/linux/amd64/kubelet", "{{ dl_k8s_io_url }}/release/v{{ kube_version }}/bin/linux/{{ image_arch }}/kubelet"),
            new RenderedEntry("https://github.com/containernetworking/plugins/releases/download/v1.4.0/cni-plugins-linux-amd64-v1.4.0.tgz", "{{ github_url }}/containernetworking/plugins/releases/download/v{{ cni_version }}/cni-plugins-linux-{{ image_arch }}-v{{ cni_version }}.tgz"),
        ],
        [
            new RenderedEntry("registry.k8s.io/coredns/coredns:v1.11.1", "{{coredns_image_repo}}:{{coredns_image_tag}}"),
            new RenderedEntry("docker.io/flannel/flannel:v0.25.1", "{{flannel_image_repo}}:{{flannel_image_tag}}"),
            new RenderedEntry("registry.k8s.io/kube-apiserver:v1.30.4", "{{ kube_image_repo }}/kube-apiserver:v{{ kube_version }}"),
        ]);

    private static readonly HashSet<string> HeldFiles = ["dl.k8s.io/release/v1.30.4/bin/linux/amd64/kubelet", "github.com/containernetworking/plugins/releases/download/v1.4.0/cni-plugins-linux-amd64-v1.4.0.tgz"];

    // A one-part name of a registry other than Docker Hub is stored under library/, as on Docker Hub.
    private static readonly HashSet<string> HeldImages = ["coredns/coredns:v1.11.1", "flannel/flannel:v0.25.1", "library/kube-apiserver:v1.30.4", "release/kubespray:v2.26.0"];

    private static KubesprayRendering OnSite(string coredns = $"{Registry}/coredns/coredns:v1.11.1", string apiserver = $"{Registry}/library/kube-apiserver:v1.30.4", string cni = $"{FilesUrl}/github.com/containernetworking/plugins/releases/download/v1.4.0/cni-plugins-linux-amd64-v1.4.0.tgz") => new(
        [new RenderedEntry($"{FilesUrl}/dl.k8s.io/release/v1.30.4/bin/linux/amd64/kubelet", null), new RenderedEntry(cni, null)],
        [new RenderedEntry(coredns, null), new RenderedEntry($"{Registry}/flannel/flannel:v0.25.1", null), new RenderedEntry(apiserver, null)]);

    private static KubesprayNameCheck Compare(KubesprayRendering onSite, OriginMapping? origin = null, IReadOnlySet<string>? images = null, IReadOnlySet<string>? files = null, KubesprayRendering? upstream = null) =>
        KubesprayNames.Compare(upstream ?? Upstream, onSite, Registry, FilesUrl, origin ?? OriginMapping.Empty, images ?? HeldImages, files ?? HeldFiles, "release/kubespray:v2.26.0");

    [Fact]
    public void Kubespray_asking_the_site_for_exactly_what_the_package_holds_resolves()
    {
        var check = Compare(OnSite());

        Assert.True(check.Resolves, string.Join("\n", check.Problems));
    }

    [Fact]
    public void A_url_written_out_in_full_is_sent_to_the_site_by_its_own_download_url_variable_which_no_rendering_shows()
    {
        // Before v2.25 the files template holds the URL itself, so the cluster config cannot move it: Kubespray fetches what
        // kubelet_download_url says, and setting that variable is what the site needs.
        const string template = "https://dl.k8s.io/release/{{ kube_version }}/bin/linux/{{ image_arch }}/kubelet";
        var upstream = new KubesprayRendering([new RenderedEntry("https://dl.k8s.io/release/v1.28.6/bin/linux/amd64/kubelet", template)], Upstream.Images);
        var onSite = new KubesprayRendering([new RenderedEntry("https://dl.k8s.io/release/v1.28.6/bin/linux/amd64/kubelet", null)], OnSite().Images);
        HashSet<string> files = ["dl.k8s.io/release/v1.28.6/bin/linux/amd64/kubelet"];
        var variables = new Dictionary<string, string> { [template] = "kubelet_download_url" };

        var first = KubesprayNames.Compare(upstream, onSite, Registry, FilesUrl, OriginMapping.Empty, HeldImages, files, "release/kubespray:v2.26.0", variables);
        var wanted = new KubesprayOverride("kubelet_download_url", "{{ files_repo }}/dl.k8s.io/release/{{ kube_version }}/bin/linux/{{ image_arch }}/kubelet", "https://dl.k8s.io/release/v1.28.6/bin/linux/amd64/kubelet is stored as files/dl.k8s.io/release/v1.28.6/bin/linux/amd64/kubelet");
        var withIt = KubesprayNames.Compare(upstream, onSite, Registry, FilesUrl, OriginMapping.Empty, HeldImages, files, "release/kubespray:v2.26.0", variables, [wanted]);
        var unknown = KubesprayNames.Compare(upstream, onSite, Registry, FilesUrl, OriginMapping.Empty, HeldImages, files, "release/kubespray:v2.26.0");

        Assert.Empty(first.Problems);
        Assert.Equal(wanted, Assert.Single(first.Overrides));
        Assert.True(withIt.Resolves, string.Join("\n", withIt.Problems));
        Assert.Contains("neither a base variable nor a *_download_url variable of the download variables holds its template", Assert.Single(unknown.Problems));
    }

    [Fact]
    public void An_image_stored_under_another_name_gets_its_own_repo_variable()
    {
        var origin = OriginMapping.Parse("- {src: registry.k8s.io/coredns/coredns, dest: library/coredns}\n", "images_origin.yaml");

        var check = Compare(OnSite(), origin, HeldImages.Select(i => i.Replace("coredns/coredns", "library/coredns", StringComparison.Ordinal)).ToHashSet());

        Assert.Empty(check.Problems);
        Assert.Equal(new KubesprayOverride("coredns_image_repo", "{{ registry_host }}/library/coredns", "registry.k8s.io/coredns/coredns:v1.11.1 is stored as library/coredns:v1.11.1"), Assert.Single(check.Overrides));
    }

    [Fact]
    public void A_kubeadm_image_renamed_to_another_path_cannot_be_pointed_elsewhere_and_is_named()
    {
        var origin = OriginMapping.Parse("- {src: registry.k8s.io/kube-apiserver, dest: release/apiserver}\n", "images_origin.yaml");

        var check = Compare(OnSite(), origin, HeldImages.Select(i => i.Replace("library/kube-apiserver", "release/apiserver", StringComparison.Ordinal)).ToHashSet());

        Assert.Equal(
            $"registry.k8s.io/kube-apiserver:v1.30.4: Kubespray would pull {Registry}/library/kube-apiserver:v1.30.4, but the site serves it as {Registry}/release/apiserver:v1.30.4, and its template '{{{{ kube_image_repo }}}}/kube-apiserver:v{{{{ kube_version }}}}' names no *_image_repo variable that could be changed for it",
            Assert.Single(check.Problems));
    }

    [Fact]
    public void A_one_part_kubeadm_name_stored_under_library_moves_the_base_variable()
    {
        var check = Compare(OnSite(apiserver: $"{Registry}/kube-apiserver:v1.30.4"));

        Assert.Empty(check.Problems);
        Assert.Equal(new KubesprayOverride("kube_image_repo", "{{ registry_host }}/library", "registry.k8s.io/kube-apiserver:v1.30.4 is stored as library/kube-apiserver:v1.30.4"), Assert.Single(check.Overrides));
    }

    [Fact]
    public void A_file_stored_under_another_host_moves_the_base_variable_its_url_starts_with()
    {
        var check = Compare(OnSite(cni: $"{FilesUrl}/github.com/containernetworking/plugins/releases/download/v1.4.0/cni-plugins-linux-amd64-v1.4.0.tgz"), files: HeldFiles.Select(f => f.Replace("github.com/", "github.com:8443/mirror/", StringComparison.Ordinal)).ToHashSet(),
            upstream: Upstream with { Files = [Upstream.Files[0], new RenderedEntry("https://github.com:8443/mirror/containernetworking/plugins/releases/download/v1.4.0/cni-plugins-linux-amd64-v1.4.0.tgz", Upstream.Files[1].Template)] });

        Assert.Empty(check.Problems);
        Assert.Equal(
            new KubesprayOverride("github_url", "{{ files_repo }}/github.com:8443/mirror", "https://github.com:8443/mirror/containernetworking/plugins/releases/download/v1.4.0/cni-plugins-linux-amd64-v1.4.0.tgz is stored as files/github.com:8443/mirror/containernetworking/plugins/releases/download/v1.4.0/cni-plugins-linux-amd64-v1.4.0.tgz"),
            Assert.Single(check.Overrides));
    }

    [Fact]
    public void A_url_written_out_in_full_that_no_download_url_variable_holds_is_named()
    {
        var literal = Upstream with { Files = [Upstream.Files[0], Upstream.Files[1] with { Template = "https://github.com/containernetworking/plugins/releases/download/v{{ cni_version }}/cni-plugins-linux-{{ image_arch }}-v{{ cni_version }}.tgz" }] };

        var check = Compare(OnSite(cni: Upstream.Files[1].Value), upstream: literal);

        Assert.Contains("and neither a base variable nor a *_download_url variable of the download variables holds its template 'https://github.com/containernetworking/", Assert.Single(check.Problems));
    }

    [Fact]
    public void What_the_package_lacks_and_what_kubespray_never_asks_for_are_each_named()
    {
        var check = Compare(OnSite(), images: HeldImages.Where(i => !i.StartsWith("flannel", StringComparison.Ordinal)).Append("library/extra:1").ToHashSet(), files: HeldFiles.Append("get.helm.sh/helm.tgz").ToHashSet());

        Assert.Equal(
            [
                "docker.io/flannel/flannel:v0.25.1: the package does not hold it (as flannel/flannel:v0.25.1)",
                "library/extra:1: the package holds it, but Kubespray does not pull it",
                "files/get.helm.sh/helm.tgz: the package holds it, but Kubespray does not fetch it",
            ],
            check.Problems);
    }

    [Fact]
    public void The_registries_of_kubesprays_images_are_what_containerd_mirrors()
    {
        Assert.Equal(["docker.io", "registry.k8s.io"], KubesprayNames.Registries(Upstream));
        Assert.Equal("etcd_image_repo", KubesprayNames.ImageRepoVariable("{{etcd_image_repo}}:{{etcd_image_tag}}"));
        Assert.Equal("flannel_image_repo", KubesprayNames.ImageRepoVariable("{{ flannel_image_repo }}:{{ flannel_image_tag }}"));
        Assert.Null(KubesprayNames.ImageRepoVariable("{{ docker_image_repo }}/flannel/flannel:{{ flannel_image_tag }}"));
    }
}
