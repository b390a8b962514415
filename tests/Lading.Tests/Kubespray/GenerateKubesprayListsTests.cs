using Lading.Bootstrap;
using Lading.Images;
using Lading.Kubespray;
using Lading.Tests.Fixtures;
using Lading.Tools.Git;

namespace Lading.Tests.Kubespray;

/// <summary>GenerateKubesprayLists with real ansible on a Kubespray-shaped tree.</summary>
public sealed class GenerateKubesprayListsTests : IDisposable
{
    private readonly TempFolder _work = new("lading-kubespray-work");

    public void Dispose() => _work.Dispose();

    private KubesprayLists Generate(KubesprayShapedTree tree, string arch, string? kubeVersion = null, string output = "out")
    {
        Requires.Tool("ansible-playbook", "ansible-core");
        var generator = new KubesprayListGenerator(new ToolHarness().PlaybookScript());
        return generator.Generate(new KubesprayListRequest(tree.Root, arch, kubeVersion), _work.Combine(output), _work.Combine("work"));
    }

    [SkippableFact]
    public void Amd64_lists_carry_the_trees_kubernetes_version_and_no_arch_suffix_on_images()
    {
        using var tree = new KubesprayShapedTree();

        Generate(tree, "amd64");

        Assert.Equal(
            """
            https://dl.k8s.io/release/v1.30.4/bin/linux/amd64/kubelet
            https://dl.k8s.io/release/v1.30.4/bin/linux/amd64/kubectl
            https://github.com/containernetworking/plugins/releases/download/v1.4.0/cni-plugins-linux-amd64-v1.4.0.tgz

            """,
            File.ReadAllText(_work.Combine("out", "files.list")));
        Assert.Equal(
            """
            registry.k8s.io/pause:3.9
            docker.io/flannel/flannel:v0.25.1
            registry.k8s.io/kube-apiserver:v1.30.4
            registry.k8s.io/kube-proxy:v1.30.4

            """,
            File.ReadAllText(_work.Combine("out", "images.list")));
    }

    [SkippableFact]
    public void Arm64_and_a_given_kubernetes_version_reach_ansible_through_the_script()
    {
        using var tree = new KubesprayShapedTree();

        var lists = Generate(tree, "arm64", "1.31.2");

        Assert.Equal(
            """
            https://dl.k8s.io/release/v1.31.2/bin/linux/arm64/kubelet
            https://dl.k8s.io/release/v1.31.2/bin/linux/arm64/kubectl
            https://github.com/containernetworking/plugins/releases/download/v1.4.0/cni-plugins-linux-arm64-v1.4.0.tgz

            """,
            lists.FilesText);
        Assert.Equal(
            """
            registry.k8s.io/pause:3.9
            docker.io/flannel/flannel:v0.25.1-arm64
            registry.k8s.io/kube-apiserver:v1.31.2
            registry.k8s.io/kube-proxy:v1.31.2

            """,
            lists.ImagesText);
    }

    [SkippableFact]
    public void A_rendering_pairs_each_entry_with_its_template_line_and_follows_a_variables_file()
    {
        Requires.Tool("ansible-playbook", "ansible-core");
        using var tree = new KubesprayShapedTree();
        var config = _work.Write("config.yml", "kube_image_repo: offline.test:5000/library\ndl_k8s_io_url: https://offline.test:8443/files/dl.k8s.io\n");
        var generator = new KubesprayListGenerator(new ToolHarness().PlaybookScript());

        var rendering = generator.Render(new KubesprayListRequest(tree.Root, "amd64", variableFiles: [config]), _work.Combine("work"));

        Assert.Equal(
            [
                new RenderedEntry("offline.test:5000/library/pause:3.9", "{{kube_image_repo}}/pause:{{pause_version}}"),
                new RenderedEntry("docker.io/flannel/flannel:v0.25.1", "{{flannel_image_repo}}:{{flannel_image_tag}}"),
                new RenderedEntry("offline.test:5000/library/kube-apiserver:v1.30.4", "{{ kube_image_repo }}/kube-apiserver:{{ kube_version }}"),
                new RenderedEntry("offline.test:5000/library/kube-proxy:v1.30.4", "{{ kube_image_repo }}/kube-proxy:{{ kube_version }}"),
            ],
            rendering.Images);
        Assert.Equal(
            new RenderedEntry("https://offline.test:8443/files/dl.k8s.io/release/v1.30.4/bin/linux/amd64/kubelet", "{{ dl_k8s_io_url }}/release/{{ kube_version }}/bin/linux/{{ image_arch }}/kubelet"),
            rendering.Files[0]);
    }

    [SkippableFact]
    public void The_output_lists_are_the_bytes_the_script_wrote()
    {
        using var tree = new KubesprayShapedTree();

        Generate(tree, "amd64");

        Assert.Equal(File.ReadAllBytes(Path.Combine(tree.Root, "contrib/offline/temp/files.list")), File.ReadAllBytes(_work.Combine("out", "files.list")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(tree.Root, "contrib/offline/temp/images.list")), File.ReadAllBytes(_work.Combine("out", "images.list")));
        Assert.Empty(Directory.GetFiles(_work.Combine("out"), "*.tmp"));
    }

    [SkippableTheory]
    [InlineData(KubesprayLayout.V2_20, "v1.26.5")]
    [InlineData(KubesprayLayout.V2_23, "v1.27.5")]
    [InlineData(KubesprayLayout.V2_24, "v1.30.4")]
    [InlineData(KubesprayLayout.V2_28, "v1.32.5")]
    public void Every_layout_from_v2_20_on_gives_its_own_kubernetes_version(KubesprayLayout layout, string version)
    {
        using var tree = new KubesprayShapedTree(layout);

        var lists = Generate(tree, "amd64");

        Assert.Equal(tree.DownloadVariables, KubesprayTree.Open(tree.Root).DownloadVariables);
        Assert.StartsWith($"https://dl.k8s.io/release/{version}/bin/linux/amd64/kubelet\n", lists.FilesText);
        Assert.EndsWith($"registry.k8s.io/kube-apiserver:{version}\nregistry.k8s.io/kube-proxy:{version}\n", lists.ImagesText);
    }

    [SkippableTheory]
    [InlineData(KubesprayLayout.V2_20, "kubelet_download_url: \"{{ files_repo }}/dl.k8s.io/release/{{ kube_version }}/bin/linux/{{ image_arch }}/kubelet\"")]
    [InlineData(KubesprayLayout.V2_23, "cni_download_url: \"{{ files_repo }}/github.com/containernetworking/plugins/releases/download/v{{ cni_version }}/cni-plugins-linux-{{ image_arch }}-v{{ cni_version }}.tgz\"")]
    [InlineData(KubesprayLayout.V2_24, "dl_k8s_io_url: \"{{ files_repo }}/dl.k8s.io\"")]
    [InlineData(KubesprayLayout.V2_28, "github_url: \"{{ files_repo }}/github.com\"")]
    public void Every_layout_is_sent_to_the_site_for_every_file_by_the_variable_its_release_reads(KubesprayLayout layout, string line)
    {
        using var tree = new KubesprayShapedTree(layout);
        var generator = new KubesprayListGenerator(new ToolHarness().PlaybookScript());
        var lists = Generate(tree, "amd64");
        var staging = _work.Combine("staging");
        foreach (var url in ListText.Texts(lists.FilesText).Select(u => new Uri(u)))
        {
            _work.Write(Path.Combine("staging", "files", url.Host + url.AbsolutePath), "bytes");
        }

        var held = ListText.Texts(lists.ImagesText).Select(i => OriginMapping.Empty.SiteNameOf(ImageReference.Parse(i)).SiteName).ToHashSet(StringComparer.Ordinal);
        var site = SiteOptions.From(null, "offline.example.internal", ["10.0.0.10"]);
        KubesprayPackageFiles.WriteTo(staging, site, "v2.26.0", "v1.0.0", [], KubesprayClusterConfig.UpstreamRegistries);

        new KubesprayNameProof(generator).Settle(new KubesprayListRequest(tree.Root, "amd64"), staging, site, OriginMapping.Empty, held, null, _work.Combine("ansible"));

        Assert.Contains(line + "\n", File.ReadAllText(Path.Combine(staging, KubesprayPackageFiles.ClusterConfigFile)));
    }

    [SkippableTheory]
    [InlineData(KubesprayLayout.V2_20, "1.25.16")]
    [InlineData(KubesprayLayout.V2_20, "v1.25.16")]
    [InlineData(KubesprayLayout.V2_28, "1.31.9")]
    [InlineData(KubesprayLayout.V2_28, "v1.31.9")]
    public void A_kubernetes_version_is_given_to_each_layout_as_it_spells_kube_version(KubesprayLayout layout, string given)
    {
        using var tree = new KubesprayShapedTree(layout);

        var lists = Generate(tree, "arm64", given);

        var version = "v" + given.TrimStart('v');
        Assert.StartsWith($"https://dl.k8s.io/release/{version}/bin/linux/arm64/kubelet\n", lists.FilesText);
        Assert.Contains($"registry.k8s.io/kube-proxy:{version}\n", lists.ImagesText);
        Assert.DoesNotContain("vv", lists.FilesText + lists.ImagesText);
    }

    [SkippableFact]
    public void Ansible_never_reads_the_users_or_the_trees_ansible_cfg()
    {
        using var tree = new KubesprayShapedTree();
        // A config ansible would fail on: an unknown stdout callback plugin.
        tree.Write("ansible.cfg", "[defaults]\nstdout_callback = no_such_callback\n");

        var lists = Generate(tree, "amd64");

        Assert.Contains("registry.k8s.io/pause:3.9", lists.ImagesText);
    }

    [SkippableFact]
    public void A_failing_script_is_reported_with_the_tree_and_what_ansible_said_and_old_lists_are_kept()
    {
        using var tree = new KubesprayShapedTree();
        Directory.CreateDirectory(_work.Combine("out"));
        File.WriteAllText(_work.Combine("out", "files.list"), "committed\n");
        tree.Write("roles/kubespray-defaults/defaults/main/download.yml", "kubelet_download_url: \"{{ no_such_variable }}/kubelet\"\ndownloads: {}\n");

        var error = Assert.Throws<KubesprayException>(() => Generate(tree, "amd64"));

        Assert.Equal(Path.Combine(tree.Root, "contrib/offline/generate_list.sh"), error.Place);
        Assert.Contains("no_such_variable", error.Message);
        Assert.Equal("committed\n", File.ReadAllText(_work.Combine("out", "files.list")));
    }

    [SkippableFact]
    public void Lists_left_by_an_earlier_run_never_pass_for_a_run_that_wrote_none()
    {
        using var tree = new KubesprayShapedTree();
        Generate(tree, "amd64");
        // A script that succeeds without writing anything.
        tree.Write("contrib/offline/generate_list.sh", $"#!/bin/bash\n: ${{DOWNLOAD_YML:=\"{tree.DownloadVariables}\"}}\nexit 0\n");

        var error = Assert.Throws<KubesprayException>(() => Generate(tree, "amd64", output: "again"));

        Assert.Contains("did not write this list", error.Message);
        Assert.False(File.Exists(_work.Combine("again", "files.list")));
    }

    [SkippableFact]
    public void A_tag_of_a_kubespray_repository_is_fetched_and_its_lists_generated()
    {
        Requires.Tool("git", "git");
        Requires.Tool("ansible-playbook", "ansible-core");
        using var tree = new KubesprayShapedTree();
        var repo = GitRepo.Init(tree.Root).Commit("v2.26.0").Tag("v2.26.0");
        tree.Write("roles/kubespray-defaults/defaults/main/main.yml", "kube_version: 1.99.0\nkube_image_repo: registry.k8s.io\ndocker_image_repo: docker.io\n");
        repo.Commit("later");
        var harness = new ToolHarness();
        var checkout = new KubesprayCheckout(harness.Git()).Resolve(repo.Url, "v2.26.0", _work.Combine("trees"));

        var lists = new KubesprayListGenerator(harness.PlaybookScript()).Generate(new KubesprayListRequest(checkout, "arm64"), _work.Combine("out"), _work.Combine("work"));

        Assert.StartsWith("https://dl.k8s.io/release/v1.30.4/bin/linux/arm64/kubelet\n", lists.FilesText);
    }

    [SkippableFact]
    public void A_branch_or_a_commit_is_fetched_as_a_tag_is_and_the_commit_used_is_known()
    {
        Requires.Tool("git", "git");
        using var tree = new KubesprayShapedTree();
        var repo = GitRepo.Init(tree.Root).Commit("v2.26.0").Tag("v2.26.0");
        var tagged = repo.Head;
        repo.Checkout("release-2.26", create: true);
        tree.Write("roles/kubespray-defaults/defaults/main/main.yml", "kube_version: v1.30.9\nkube_image_repo: registry.k8s.io\ndocker_image_repo: docker.io\n");
        repo.Commit("patch release");
        var branchHead = repo.Head;
        repo.Checkout("main");
        var checkout = new KubesprayCheckout(new ToolHarness().Git());

        var branch = checkout.Resolve(repo.Url, "release-2.26", _work.Combine("trees"));
        Assert.Equal((GitRefKind.Branch, branchHead), (checkout.Kind!.Value, checkout.Commit));
        Assert.Contains("kube_version: v1.30.9", File.ReadAllText(Path.Combine(branch, "roles/kubespray-defaults/defaults/main/main.yml")));

        var commit = checkout.Resolve(repo.Url, tagged, _work.Combine("trees"));
        Assert.Equal((GitRefKind.Commit, tagged), (checkout.Kind!.Value, checkout.Commit));
        Assert.Contains("kube_version: v1.30.4", File.ReadAllText(Path.Combine(commit, "roles/kubespray-defaults/defaults/main/main.yml")));

        checkout.Resolve(repo.Url, "v2.26.0", _work.Combine("trees"));
        Assert.Equal((GitRefKind.Tag, tagged), (checkout.Kind!.Value, checkout.Commit));

        var error = Assert.Throws<KubesprayException>(() => checkout.Resolve(repo.Url, "release-9.99", _work.Combine("trees")));
        Assert.Contains("no tag, branch or commit 'release-9.99' could be fetched", error.Message);
        Assert.Contains("couldn't find remote ref refs/heads/release-9.99", error.Message);
    }

    [Fact]
    public void A_kubernetes_version_is_refused_for_a_script_that_never_passes_it_to_ansible()
    {
        using var tree = new KubesprayShapedTree();
        tree.Write("contrib/offline/generate_list.sh", $"#!/bin/bash\n: ${{IMAGE_ARCH:=amd64}}\n: ${{DOWNLOAD_YML:=\"{tree.DownloadVariables}\"}}\nbash temp/generate.sh > temp/files.list\n");
        using var bash = new ToolFixture("bash");

        var error = Assert.Throws<KubesprayException>(() => new KubesprayListGenerator(new ToolHarness(bash).PlaybookScript())
            .Generate(new KubesprayListRequest(tree.Root, "arm64", "1.31.2"), _work.Combine("work")));

        Assert.Contains("cannot generate lists for Kubernetes 1.31.2", error.Message);
        Assert.Empty(bash.CommandLines);
    }
}
