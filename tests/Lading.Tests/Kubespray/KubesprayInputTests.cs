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
    public void A_tree_without_download_variables_is_refused_listing_where_they_were_looked_for()
    {
        using var tree = new KubesprayShapedTree();
        File.Delete(Path.Combine(tree.Root, tree.DownloadVariables));

        var error = Assert.Throws<KubesprayException>(() => KubesprayTree.Open(tree.Root));

        Assert.Contains("roles/download/defaults/main.yml", error.Message);
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
