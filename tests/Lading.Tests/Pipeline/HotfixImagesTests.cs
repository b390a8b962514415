using System.Text.Json.Nodes;
using Lading.Packaging;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Pipeline;

/// <summary>
/// Hotfixes built on a release branch edited by hand: a chart owner changes an image tag under addons/ and does not
/// regenerate the image lists. The hotfix takes its images from the charts at the new tag, never from trust.
/// </summary>
public sealed class HotfixImagesTests : IDisposable
{
    private static readonly string Example = Path.Combine(Requires.RepositoryRoot, "recipes", "example");
    private readonly TempFolder _folder = new("lading-hotfix-images");
    private readonly GitRepo _release;

    public HotfixImagesTests()
    {
        _release = GitRepo.Init(_folder.Combine("platform-release"), "release-1.0");
        Trees.Copy(Path.Combine(Example, "platform-release"), _release.Path);
        _release.Commit("v1.0.0").Tag("v1.0.0", "release v1.0.0");

        // The source registry also serves the next nginx (one more ref name on the same image).
        Trees.Copy(Path.Combine(Example, "images"), _folder.Combine("images"));
        var index = JsonNode.Parse(File.ReadAllText(_folder.Combine("images", "index.json")))!;
        var manifests = index["manifests"]!.AsArray();
        var nginx = manifests.Single(m => m!["annotations"]!["org.opencontainers.image.ref.name"]!.GetValue<string>() == "library/nginx:1.25.3")!.DeepClone();
        nginx["annotations"]!["org.opencontainers.image.ref.name"] = "library/nginx:1.25.4";
        manifests.Add(nginx);
        File.WriteAllText(_folder.Combine("images", "index.json"), index.ToJsonString());
    }

    public void Dispose() => _folder.Dispose();

    private HostRun Build(params string[] args) =>
        HostHarness.RunLading(_folder.Path, null, [
            "--name=platform", $"--release-repo={_release.Path}", $"--source-registry=oci:{_folder.Combine("images")}",
            $"--cache={_folder.Combine("cache")}", $"--work={_folder.Combine("work")}", $"--output={_folder.Combine("out")}", .. args,
        ]);

    private HostRun Hotfix(string version, params string[] args) =>
        Build(["--target=Hotfix", "--base-version=v1.0.0", $"--version={version}", $"--helm={Requires.Helm()}", .. args]);

    private static PackageManifest ManifestOf(string tar) => PackageManifest.ReadFromTar(tar);

    [SkippableFact]
    public void A_new_image_tag_edited_into_a_chart_without_its_list_stops_the_hotfix_naming_image_and_chart()
    {
        _release.Write("addons/gateway/values.yaml", File.ReadAllText(Path.Combine(_release.Path, "addons/gateway/values.yaml")).Replace("1.25.3", "1.25.4"))
            .Commit("gateway: nginx 1.25.4").Tag("v1.0.1", "hotfix v1.0.1");

        var refused = Hotfix("v1.0.1");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("1 image(s) the changed charts need at v1.0.1 are in no images/*.list of that tag:\n  library/nginx:1.25.4 (needed by gateway)", refused.Output);
        Assert.Contains("--accept-list-drift", refused.Output);
        Assert.False(File.Exists(_folder.Combine("out", "platform-v1.0.1-hotfix.tar")));

        var accepted = Hotfix("v1.0.1", "--accept-list-drift");

        Assert.True(accepted.ExitCode == 0, accepted.Output);
        var manifest = ManifestOf(_folder.Combine("out", "platform-v1.0.1-hotfix.tar"));
        Assert.Equal(["gateway"], manifest.Charts.Select(c => c.Name));
        Assert.Equal(["library/nginx:1.25.4"], manifest.Images.Select(i => i.Name));
    }

    [SkippableFact]
    public void A_hotfix_whose_lists_follow_its_charts_ships_the_charts_changed_and_only_the_images_the_base_lacks()
    {
        // gateway moves to a new nginx (values and the image annotation), cache only gains blank lines, console changes a value.
        _release.Write("addons/gateway/values.yaml", File.ReadAllText(Path.Combine(_release.Path, "addons/gateway/values.yaml")).Replace("1.25.3", "1.25.4"))
            .Write("addons/gateway/Chart.yaml", File.ReadAllText(Path.Combine(_release.Path, "addons/gateway/Chart.yaml")).Replace("image: library/nginx:1.25.3", "image: library/nginx:1.25.4"))
            .Write("addons/cache/values.yaml", File.ReadAllText(Path.Combine(_release.Path, "addons/cache/values.yaml")) + "\n\n")
            .Write("addons/console/values.yaml", File.ReadAllText(Path.Combine(_release.Path, "addons/console/values.yaml")).Replace("replicas: 1", "replicas: 2"))
            .Write("images/images_platform.list", "# Generated from the charts; do not edit by hand.\nlibrary/nginx:1.25.4\nlibrary/redis:7.2.4\nrelease/console:v1.0.0\n")
            .Commit("v1.0.2").Tag("v1.0.2", "hotfix v1.0.2");

        var run = Hotfix("v1.0.2");

        Assert.True(run.ExitCode == 0, run.Output);
        var manifest = ManifestOf(_folder.Combine("out", "platform-v1.0.2-hotfix.tar"));
        Assert.Equal(["console", "gateway"], manifest.Charts.Select(c => c.Name).Order());
        Assert.Equal(["library/nginx:1.25.4"], manifest.Images.Select(i => i.Name));
    }

    [Fact]
    public void Without_helm_a_hotfix_is_refused_before_anything_is_packaged()
    {
        _release.Write("addons/console/values.yaml", "replicas: 3\n").Commit("v1.0.3").Tag("v1.0.3", "hotfix v1.0.3");

        var run = Build("--target=Hotfix", "--base-version=v1.0.0", "--version=v1.0.3", $"--helm={_folder.Combine("no-helm")}");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("A hotfix renders the charts with helm 3 to find every image they need, and helm was not found", run.Output);
        Assert.False(Directory.Exists(_folder.Combine("out")) && Directory.GetFiles(_folder.Combine("out"), "*.tar").Length > 0);
    }
}
