using Lading.Kubespray;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Kubespray;

/// <summary>What GenerateKubesprayLists accepts before anything runs: architecture, Kubernetes version and the tree.</summary>
public sealed class KubesprayInputTests
{
    [Theory]
    [InlineData("amd64", "amd64")]
    [InlineData("ARM64", "arm64")]
    [InlineData("x86_64", "amd64")]
    [InlineData("aarch64", "arm64")]
    public void Architectures_are_spelled_as_kubesprays_image_arch(string given, string expected) =>
        Assert.Equal(expected, KubesprayArchitecture.Parse(given));

    [Theory]
    [InlineData("s390x")]
    [InlineData("")]
    [InlineData("amd64 -e x=y")]
    public void Other_architectures_are_refused_naming_the_option(string given)
    {
        var error = Assert.Throws<KubesprayException>(() => KubesprayArchitecture.Parse(given));
        Assert.Equal("--arch", error.Place);
        Assert.Contains("amd64 or arm64", error.Message);
    }

    [Theory]
    [InlineData("1.31.2")]
    [InlineData("v1.29.3")]
    [InlineData("1.32.0-rc.1")]
    public void Kubernetes_versions_with_or_without_v_are_accepted(string version) =>
        Assert.Equal(version, new KubesprayListRequest("/srv/kubespray", "amd64", version).KubeVersion);

    [Theory]
    [InlineData("1.31")]
    [InlineData("1.31.2 -e evil=1")]
    [InlineData("1.31.2;rm")]
    public void A_kubernetes_version_that_the_script_would_split_or_run_is_refused(string version)
    {
        var error = Assert.Throws<KubesprayException>(() => new KubesprayListRequest("/srv/kubespray", "amd64", version));
        Assert.Equal("--kube-version", error.Place);
    }

    [Fact]
    public void A_folder_without_the_offline_script_is_not_a_kubespray_tree()
    {
        using var folder = new TempFolder();
        folder.Write("roles/kubespray-defaults/defaults/main/download.yml", "downloads: {}\n");

        var error = Assert.Throws<KubesprayException>(() => KubesprayTree.Open(folder.Path));

        Assert.Equal(Path.Combine(folder.Path, "contrib/offline/generate_list.sh"), error.Place);
    }

    [Fact]
    public void A_tree_without_the_download_variables_its_script_names_is_refused_naming_them()
    {
        using var tree = new KubesprayShapedTree();
        File.Delete(Path.Combine(tree.Root, tree.DownloadVariables));

        var error = Assert.Throws<KubesprayException>(() => KubesprayTree.Open(tree.Root));

        Assert.Equal(Path.Combine(tree.Root, "contrib/offline/generate_list.sh"), error.Place);
        Assert.Contains($"DOWNLOAD_YML={tree.DownloadVariables}, which is no file of this tree", error.Message);
        Assert.Contains(KubesprayTree.SupportedRange, error.Message);
    }

    [Fact]
    public void A_script_that_names_no_download_variables_is_outside_the_supported_range()
    {
        using var tree = new KubesprayShapedTree();
        tree.Write("contrib/offline/generate_list.sh", "#!/bin/bash\n# an older script: reads roles/download/defaults/main.yml itself\ngrep download_url roles/download/defaults/main.yml > temp/files.list\n");

        var error = Assert.Throws<KubesprayException>(() => KubesprayTree.Open(tree.Root));

        Assert.Contains("declares no DOWNLOAD_YML", error.Message);
        Assert.Contains("Kubespray v2.20 to v2.31 are supported", error.Message);
    }

    [Theory]
    [InlineData(KubesprayLayout.V2_20, true)]
    [InlineData(KubesprayLayout.V2_23, true)]
    [InlineData(KubesprayLayout.V2_24, true)]
    [InlineData(KubesprayLayout.V2_28, false)]
    public void The_tree_says_whether_its_kube_version_carries_a_v(KubesprayLayout layout, bool withV)
    {
        using var tree = new KubesprayShapedTree(layout);

        var opened = KubesprayTree.Open(tree.Root);

        Assert.Equal(withV, opened.KubeVersionWithV);
        Assert.Equal(withV ? "v1.31.2" : "1.31.2", opened.KubeVersion("v1.31.2"));
        Assert.Equal(withV ? "v1.31.2" : "1.31.2", opened.KubeVersion("1.31.2"));
    }

    [Fact]
    public void A_tree_path_with_spaces_is_refused_because_the_script_does_not_quote_it()
    {
        using var folder = new TempFolder();
        var spaced = Path.Combine(folder.Path, "my kubespray");
        Directory.CreateDirectory(spaced);

        var error = Assert.Throws<KubesprayException>(() => KubesprayTree.Open(spaced));

        Assert.Contains("does not quote paths", error.Message);
    }

    [Fact]
    public void A_missing_tree_is_named()
    {
        var error = Assert.Throws<KubesprayException>(() => KubesprayTree.Open("/nonexistent/kubespray"));
        Assert.Equal("/nonexistent/kubespray: the Kubespray tree does not exist.", error.Message);
    }

    [Fact]
    public void A_dry_run_plan_names_the_script_its_arguments_and_the_lists_it_writes() =>
        Assert.Equal(
            "IMAGE_ARCH=arm64 bash /srv/kubespray/contrib/offline/generate_list.sh -e image_arch=arm64 -e kube_version=1.31.2 -> /out/files.list, /out/images.list",
            KubesprayListGenerator.Plan(new KubesprayListRequest("/srv/kubespray", "arm64", "1.31.2"), "/out"));
}
