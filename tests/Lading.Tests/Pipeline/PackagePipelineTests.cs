using System.Text.Json;
using Cake.Core;
using Lading.Images;
using Lading.Packaging;
using Lading.Recipes;
using Lading.Tests.Fixtures;
using Lading.Tests.Images;
using Microsoft.Extensions.DependencyInjection;

namespace Lading.Tests.Pipeline;

/// <summary>Platform and hotfix packages built from a release repo with real git, checked the way a site would use them.</summary>
public sealed class PackagePipelineTests : IDisposable
{
    private static readonly string Example = Path.Combine(Requires.RepositoryRoot, "recipes", "example");
    private readonly TempFolder _folder = new("lading-package");
    private readonly GitRepo _release;

    public PackagePipelineTests()
    {
        _release = GitRepo.Init(_folder.Combine("platform-release"));
        Trees.Copy(Path.Combine(Example, "platform-release"), _release.Path);

        // v1.0.0 ships gateway and console only; v1.0.1 adds the cache chart and its image.
        Directory.Delete(Path.Combine(_release.Path, "addons", "cache"), recursive: true);
        _release.Write("images/images_platform.list", "library/nginx:1.25.3\nrelease/console:v1.0.0\n").Commit("v1.0.0").Tag("v1.0.0", "release v1.0.0");
        Trees.Copy(Path.Combine(Example, "platform-release", "addons", "cache"), Path.Combine(_release.Path, "addons", "cache"));
        _release.Write("images/images_platform.list", "library/nginx:1.25.3\nlibrary/redis:7.2.4\nrelease/console:v1.0.0\n")
            .Write("images/provenance.yaml", "images:\n  'library/redis:7.2.4':\n  - addon: 'cache'\n    source: template\n    origin: 'cache/templates/deployment.yaml'\n  'library/nginx:1.25.3':\n  - addon: 'gateway'\n    source: template\n    origin: 'gateway/templates/deployment.yaml'\n")
            .Write("addons/gateway/values.yaml", File.ReadAllText(Path.Combine(_release.Path, "addons/gateway/values.yaml")).Replace("replicas: 1", "replicas:   1") + "\n\n")
            .Commit("v1.0.1").Tag("v1.0.1", "release v1.0.1");
    }

    public void Dispose() => _folder.Dispose();

    private HostRun Build(params string[] args) =>
        HostHarness.RunLading(_folder.Path, null, [
            "--name=platform", $"--release-repo={_release.Path}", $"--source-registry=oci:{Path.Combine(Example, "images")}",
            $"--cache={_folder.Combine("cache")}", $"--work={_folder.Combine("work")}", $"--output={_folder.Combine("out")}", .. args,
        ]);

    private async Task<(PackageManifest Manifest, string Root)> Extract(string tar)
    {
        var into = _folder.Combine("extracted", Path.GetFileNameWithoutExtension(tar));
        await SafeTarExtractor.ExtractFileAsync(tar, into, CancellationToken.None);
        var root = Directory.GetDirectories(into).Single();
        return (PackageManifest.Parse(File.ReadAllText(Path.Combine(root, PackageManifest.FileName)), tar), root);
    }

    [SkippableFact]
    public async Task A_release_package_matches_its_manifest_and_its_images_are_served_by_a_stock_registry()
    {
        var run = Build("--target=Package", "--version=v1.0.1");

        Assert.True(run.ExitCode == 0, run.Output);
        var tar = _folder.Combine("out", "platform-v1.0.1.tar");
        Assert.Equal($"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(tar)))}  platform-v1.0.1.tar\n", File.ReadAllText(tar + ".sha256"));
        var (manifest, root) = await Extract(tar);
        Assert.Equal(("platform", "v1.0.1", "platform", _release.Git("rev-parse", "v1.0.1^{commit}").Trim()), (manifest.Kind, manifest.Version, manifest.Name, manifest.Commit));
        Assert.Equal(["cache", "console", "gateway"], manifest.Charts.Select(c => c.Name));
        Assert.Equal(["library/nginx:1.25.3", "library/redis:7.2.4", "release/console:v1.0.0"], manifest.Images.Select(i => i.Name));
        foreach (var file in manifest.Files)
        {
            var bytes = File.ReadAllBytes(Path.Combine(root, file.Path));
            Assert.Equal((file.Size, file.Sha256), (bytes.LongLength, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))));
        }

        Assert.Equal(manifest.Files.Count, Directory.GetFiles(root, "*", SearchOption.AllDirectories).Length - 1);
        Assert.True(File.Exists(Path.Combine(root, "install.sh")) && File.Exists(Path.Combine(root, "load-images.sh")) && File.Exists(Path.Combine(root, "version.yml")));

        var storage = _folder.Combine("site-registry");
        var load = Shell.Run("bash", [Path.Combine(root, "load-images.sh"), storage]);
        Assert.True(load.ExitCode == 0, load.All);
        Assert.Contains("images added:\n  library/nginx:1.25.3\n  library/redis:7.2.4\n  release/console:v1.0.0\n", load.Output);
        using var registry = await DockerRegistry.StartAsync(storage, readOnly: true);
        foreach (var image in manifest.Images)
        {
            var inspected = await Skopeo.RawManifestAsync($"docker://{registry.Host}/{image.Name}", "--tls-verify=false");
            Assert.Equal(image.Digest, Digest.Of(System.Text.Encoding.UTF8.GetBytes(inspected)).ToString());
        }

        var again = Shell.Run("bash", [Path.Combine(root, "load-images.sh"), storage]);
        Assert.Contains("added 0 file(s)", again.Output);
        Assert.Contains("no image added or changed", again.Output);
        Assert.DoesNotContain("library/", again.Output);

        // The site's tag names another image: loading moves it back to the package's, and says so for that image only.
        var nginxTag = Path.Combine(storage, "docker/registry/v2/repositories/library/nginx/_manifests/tags/1.25.3/current/link");
        File.WriteAllText(nginxTag, manifest.Images.Single(i => i.Name == "library/redis:7.2.4").Digest);
        var moved = Shell.Run("bash", [Path.Combine(root, "load-images.sh"), storage]);
        Assert.Contains("images changed (the tag now names this package's image):\n  library/nginx:1.25.3\n", moved.Output);
        Assert.DoesNotContain("redis", moved.Output);
        Assert.Equal(manifest.Images.Single(i => i.Name == "library/nginx:1.25.3").Digest, File.ReadAllText(nginxTag));
    }

    [Fact]
    public void An_image_in_the_manifest_weighs_its_manifest_config_and_layers()
    {
        var run = Build("--target=Package", "--version=v1.0.1");

        Assert.True(run.ExitCode == 0, run.Output);
        var redis = PackageManifest.ReadFromTar(_folder.Combine("out", "platform-v1.0.1.tar")).Images.Single(i => i.Name == "library/redis:7.2.4");
        var blobs = Path.Combine(Example, "images", "blobs", "sha256");
        using var image = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(blobs, redis.Digest["sha256:".Length..])));
        var expected = redis.Size + image.RootElement.GetProperty("config").GetProperty("size").GetInt64()
            + image.RootElement.GetProperty("layers").EnumerateArray().Sum(l => l.GetProperty("size").GetInt64());
        Assert.Equal(expected, redis.Bytes);
        Assert.True(redis.Bytes > redis.Size);
    }

    [SkippableFact]
    public async Task A_hotfix_holds_only_the_changed_chart_the_images_its_base_lacks_and_what_its_install_sh_reads()
    {
        var basePackage = Build("--target=Package", "--version=v1.0.0");
        var hotfix = Build("--target=Hotfix", "--base-version=v1.0.0", "--version=v1.0.1", $"--base-package={_folder.Combine("out", "platform-v1.0.0.tar")}", $"--helm={Requires.Helm()}");

        Assert.True(basePackage.ExitCode == 0, basePackage.Output);
        Assert.True(hotfix.ExitCode == 0, hotfix.Output);
        var (manifest, root) = await Extract(_folder.Combine("out", "platform-v1.0.1-hotfix.tar"));
        Assert.Equal(("hotfix", "v1.0.0"), (manifest.Kind, manifest.BaseVersion));
        Assert.Equal(["cache"], manifest.Charts.Select(c => c.Name));
        Assert.Equal(["library/redis:7.2.4"], manifest.Images.Select(i => i.Name));
        Assert.True(manifest.BlobsInBase >= 1, "the base layer redis shares with nginx is left out");
        Assert.Equal("# name\tversion\tnamespace\tenable\tchart: install order of version.yml (written by Lading)\ncache\tv7.2.4\tkube-system\ttrue\tcharts/cache-v7.2.4.tgz\n", File.ReadAllText(Path.Combine(root, "addons.tsv")));
        Assert.Contains("library/nginx:1.25.3\n", File.ReadAllText(Path.Combine(root, "base-images.list")));
        Assert.Contains("package_base='v1.0.0'\n", File.ReadAllText(Path.Combine(root, "install.sh")));
        Assert.False(File.Exists(Path.Combine(root, "install-charts.sh")), "a hotfix installs its charts with install.sh alone");
    }

    [SkippableFact]
    public void A_package_whose_chart_needs_an_image_the_lists_lack_fails_naming_chart_and_image()
    {
        var template = Path.Combine(_release.Path, "addons", "gateway", "templates", "deployment.yaml");
        _release.Write("addons/gateway/templates/deployment.yaml", File.ReadAllText(template) + """
                    - name: sidecar
                      image: "{{ with .Values.global.imageRegistry }}{{ . }}/{{ end }}library/busybox:1.36"

            """).Commit("v1.0.2").Tag("v1.0.2", "release v1.0.2");

        var run = Build("--target=Package", "--version=v1.0.2", $"--helm={Requires.Helm()}");

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"platform-v1\.0\.2 is not complete: 1 image\(s\) its charts reference are not in the package\s+gateway: library/busybox:1\.36 \(gateway/templates/deployment\.yaml:\d+\)", run.Output);
        Assert.False(File.Exists(_folder.Combine("out", "platform-v1.0.2.tar")));
    }

    [SkippableFact]
    public void Verify_checks_a_package_tar_on_its_own_and_a_hotfix_against_its_base()
    {
        var helm = $"--helm={Requires.Helm()}";
        Assert.Equal(0, Build("--target=Package", "--version=v1.0.0", helm).ExitCode);
        Assert.Equal(0, Build("--target=Hotfix", "--base-version=v1.0.0", "--version=v1.0.1", helm).ExitCode);

        var platform = Build("--target=Verify", $"--package={_folder.Combine("out", "platform-v1.0.0.tar")}", helm);
        var hotfix = Build("--target=Verify", $"--package={_folder.Combine("out", "platform-v1.0.1-hotfix.tar")}", helm);

        Assert.True(platform.ExitCode == 0, platform.Output);
        Assert.Contains("platform-v1.0.0.tar: every image its 2 chart(s) reference (2) is in the package", platform.Output);
        Assert.True(hotfix.ExitCode == 0, hotfix.Output);
        Assert.Contains("platform-v1.0.1-hotfix.tar: every image its 1 chart(s) reference (1) is in the package or its base release v1.0.0", hotfix.Output);
    }

    [SkippableFact]
    public void Inspect_and_diff_describe_packages()
    {
        Build("--target=Package", "--version=v1.0.0");
        var built = Build("--target=Package", "--version=v1.0.1");
        string Summary(string output) => JsonDocument.Parse(File.ReadAllText(_folder.Combine("out", "summary.json"))).RootElement
            .GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "AssemblePackage").GetProperty("outputs").GetProperty(output).GetString()!;
        var files = Summary("files");

        var inspect = Build("--target=Inspect", $"--package={_folder.Combine("out", "platform-v1.0.1.tar")}");
        var diff = Build("--target=Diff", $"--package={_folder.Combine("out", "platform-v1.0.1.tar")}", $"--against={_folder.Combine("out", "platform-v1.0.0.tar")}");

        Assert.True(inspect.ExitCode == 0, inspect.Output);
        Assert.Contains("platform platform v1.0.1", inspect.Output);
        Assert.Contains($"{files} file(s) with manifest.json", inspect.Output);
        Assert.Equal(Assert.Single(System.Text.RegularExpressions.Regex.Matches(built.Output, @"platform-v1\.0\.1\.tar: .*, (\d+) file\(s\)")).Groups[1].Value, files);
        Assert.Matches(@"library/redis:7\.2\.4\s+│\s+sha256:", inspect.Output);
        Assert.True(diff.ExitCode == 0, diff.Output);
        var markdown = File.ReadAllText(_folder.Combine("out", "diff.md"));
        Assert.Matches(@"\| added \| cache \|  \| v7\.2\.4 \| \d+ B \|", markdown);
        Assert.Matches(@"\| added \| library/redis:7\.2\.4 \|  \| sha256:\w+ \| [\d.]+ KiB \|", markdown);
        Assert.DoesNotContain("gateway", markdown);
    }

    [SkippableFact]
    public void A_package_run_that_fails_midway_leaves_no_package_and_the_rerun_completes()
    {
        var failed = Build("--target=Package", "--version=v1.0.1", "--source-registry=oci:/nonexistent/layout");
        var tar = _folder.Combine("out", "platform-v1.0.1.tar");

        Assert.Equal(1, failed.ExitCode);
        Assert.False(File.Exists(tar));
        Assert.Empty(Directory.Exists(_folder.Combine("out")) ? Directory.GetFiles(_folder.Combine("out"), "*.tar*") : []);

        var rerun = Build("--target=Package", "--version=v1.0.1");

        Assert.True(rerun.ExitCode == 0, rerun.Output);
        Assert.True(File.Exists(tar));
    }

    [Fact]
    public void The_package_is_uploaded_with_its_checksum_to_a_folder()
    {
        var rerun = Build("--target=Package", "--version=v1.0.0", $"--upload=file://{_folder.Combine("releases")}");

        Assert.True(rerun.ExitCode == 0, rerun.Output);
        Assert.Equal(File.ReadAllBytes(_folder.Combine("out", "platform-v1.0.0.tar")), File.ReadAllBytes(_folder.Combine("releases", "platform-v1.0.0.tar")));
        Assert.StartsWith(File.ReadAllText(_folder.Combine("out", "platform-v1.0.0.tar.sha256")).Split(' ')[0], File.ReadAllText(_folder.Combine("releases", "platform-v1.0.0.tar.sha256")));
    }

    [Fact]
    public void An_oem_branch_puts_the_customer_in_the_package_name()
    {
        _release.Checkout("release-1.0/acme", create: true);

        var run = Build("--target=Package", "--version=v1.0.0");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.True(File.Exists(_folder.Combine("out", "platform-acme-v1.0.0.tar")), run.Output);
    }

    [Theory]
    [InlineData("install.sh", "/etc/passwd")]
    [InlineData("version.yml", "../../../../../../etc/passwd")]
    [InlineData("scripts/passwd", "/etc/passwd")]
    public void A_release_file_linked_outside_the_repo_is_refused_on_a_head_build(string file, string target)
    {
        _release.Delete(file).Link(file, target).Commit("a link out");

        var run = Build("--target=Package");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{file} in {_release.Path}: {file} is a symbolic link to '{target}', outside the folder; refused.", run.Output);
        Assert.DoesNotContain("root:x:0:0", run.Output);
        Assert.Empty(Directory.Exists(_folder.Combine("out")) ? Directory.GetFiles(_folder.Combine("out"), "*.tar") : []);
    }

    [Fact]
    public async Task A_release_file_linked_inside_the_repo_is_packaged_as_what_it_points_to()
    {
        _release.Write("scripts/common.sh", "echo common\n").Delete("install.sh").Link("install.sh", "scripts/common.sh").Commit("install.sh is the common script");

        var run = Build("--target=Package");

        Assert.True(run.ExitCode == 0, run.Output);
        var (_, root) = await Extract(Directory.GetFiles(_folder.Combine("out"), "platform-head-*.tar").Single());
        Assert.Equal("echo common\n", File.ReadAllText(Path.Combine(root, "install-charts.sh")));
    }

    [SkippableFact]
    public async Task Two_builds_of_one_tag_in_two_workspaces_give_the_same_bytes()
    {
        var tars = new List<string>();
        foreach (var workspace in new[] { "jenkins-a", "jenkins-b" })
        {
            // Each workspace has its own copy of the recipe's files, as two Jenkins agents do.
            Trees.Copy(Path.Combine(Example, "images"), _folder.Combine(workspace, "layout"));
            var run = HostHarness.RunLading(_folder.Combine(workspace), null, [
                "--target=Package", "--version=v1.0.1", "--name=platform", $"--release-repo={_release.Url}", "--source-registry=oci:layout",
                $"--cache={_folder.Combine(workspace, "cache")}", "--work=scratch", "--output=artifacts",
            ]);
            Assert.True(run.ExitCode == 0, run.Output);
            tars.Add(_folder.Combine(workspace, "artifacts", "platform-v1.0.1.tar"));
        }

        Assert.Equal(File.ReadAllText(tars[0] + ".sha256"), File.ReadAllText(tars[1] + ".sha256"));
        Assert.Equal(File.ReadAllBytes(tars[0]), File.ReadAllBytes(tars[1]));
        var (manifest, _) = await Extract(tars[0]);
        Assert.Equal(DateTimeOffset.Parse(_release.Git("log", "-1", "--format=%cI", "v1.0.1").Trim()), manifest.Built);
        Assert.Equal(PackageManifest.LadingVersion, manifest.Lading);
        Assert.All(manifest.Images, i => Assert.StartsWith("oci:layout:", i.Source));
        Assert.DoesNotContain(_folder.Path, File.ReadAllText(tars[0]));
    }

    [Fact]
    public void A_dry_run_plans_the_images_of_the_release_tag_not_of_the_working_tree()
    {
        _release.Write("images/images_platform.list", "library/nginx:9.9.9\n").Commit("after the tag");

        var run = Build("--target=Package", "--version=v1.0.0", "--dryrun");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("[dry run] would fetch 2 image(s)", run.Output);
        Assert.Contains("release/console:v1.0.0", run.Output);
        Assert.DoesNotContain("9.9.9", run.Output);
        Assert.False(File.Exists(_folder.Combine("out", "platform-v1.0.0.tar")));
    }

    [Fact]
    public void A_version_that_is_not_a_tag_is_refused()
    {
        var run = Build("--target=Package", "--version=v9.9.9");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("there is no tag v9.9.9", run.Output);
    }
}
