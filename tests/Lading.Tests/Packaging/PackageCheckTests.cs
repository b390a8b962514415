using Lading.Charts;
using Lading.Images;
using Lading.Packaging;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Packaging;

/// <summary>
/// Verify at build time and install.sh --check on site look at the same package the same way: a chart naming images
/// in every form a chart writes them (short Docker Hub names, the site registry, a mapped upstream, an unmapped one,
/// a digest, and text in a ConfigMap that only looks like one), rendered by the real helm.
/// </summary>
public sealed class PackageCheckTests : IDisposable
{
    private const string Digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private readonly TempFolder _folder = new("lading-check");

    public void Dispose() => _folder.Dispose();

    private async Task<(string Root, VerifySubject Subject)> Package()
    {
        var chart = _folder.Combine("src", "mixed");
        _folder.Write("src/mixed/Chart.yaml", "apiVersion: v2\nname: mixed\nversion: 1.0.0\n");
        _folder.Write("src/mixed/values.yaml", "global:\n  imageRegistry: \"\"\n");
        _folder.Write("src/mixed/templates/pod.yaml", $$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: mixed
              namespace: {{"{{ .Release.Namespace }}"}}
            spec:
              initContainers:
                - name: init
                  image: busybox:1.36   # Docker Hub's short name
              containers:
                - name: app
                  image: "{{"{{ .Values.global.imageRegistry }}"}}/release/app:v2"
                - name: mapped
                  image: 'quay.io/coreos/etcd:v3.5'
                - name: unmapped
                  image: ghcr.io/example/tool:1.0
                - image: docker.io/library/redis@{{Digest}}
                  name: pinned
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: embedded
            data:
              values.yaml: |
                image: example/not-deployed:9
                other: value
              plain: "text"
            """);
        var root = _folder.Combine("platform-v9.9.9");
        var packaged = Assert.Single(await ChartPackager.PackageAllAsync([chart], Path.Combine(root, "charts"), 1));
        var rows = new[] { new AddonRow("mixed", "1.0.0", "apps", true, $"charts/{Path.GetFileName(packaged.Path)}") };
        var origin = OriginMapping.Parse("- {src: quay.io/coreos/etcd, dest: library/etcd}\n", "images_origin.yaml");
        File.WriteAllText(Path.Combine(root, PlatformSiteFiles.Addons), PlatformSiteFiles.RenderAddons(rows));
        File.WriteAllText(Path.Combine(root, PlatformSiteFiles.ImageOrigins), PlatformSiteFiles.RenderOrigins(origin));
        File.WriteAllText(Path.Combine(root, "install.sh"), PlatformInstallScript.Render(new PackageIdentity("platform", PackageKind.Platform, "v9.9.9"), null, null, []));
        foreach (var (repository, tag) in new[] { ("library/busybox", "1.36"), ("release/app", "v2"), ("library/etcd", "v3.5"), ("library/redis", "7.2.4") })
        {
            _folder.Write($"platform-v9.9.9/images/registry/docker/registry/v2/repositories/{repository}/_manifests/tags/{tag}/current/link", Digest);
        }

        var subject = new VerifySubject("platform-v9.9.9", rows.Select(r => new ChartToVerify(r.Name, r.Version, r.Namespace, Path.Combine(root, r.File))).ToList(),
            PlatformSiteFiles.ParseOrigins(File.ReadAllText(Path.Combine(root, PlatformSiteFiles.ImageOrigins)), "image-origins.tsv"),
            PackageImageIndex.FromTree(Path.Combine(root, "images", "registry")));
        return (root, subject);
    }

    private static string Render(ChartToVerify chart, string registry)
    {
        var result = Shell.Run(Requires.Helm(), ["template", chart.Name, chart.Archive, "--namespace", chart.Namespace, "--set-string", $"{PackageVerifier.RegistryValue}={registry}"]);
        Assert.True(result.ExitCode == 0, result.All);
        return result.Output;
    }

    [SkippableFact]
    public async Task Verify_and_the_site_check_name_the_same_missing_images()
    {
        var helm = Requires.Helm();
        var (root, subject) = await Package();

        var report = new PackageVerifier(Render).Verify(subject);
        var check = Shell.Run(Requires.Tool("bash", "bash"), [Path.Combine(root, "install.sh"), "--check"], root,
            new Dictionary<string, string> { ["PATH"] = $"{Path.GetDirectoryName(helm)}:/usr/bin:/bin", ["HOME"] = _folder.Combine("home") });

        Assert.Equal(
            [("mixed", "example/tool:1.0"), ("mixed", $"library/redis@{Digest}")],
            report.Missing.Select(m => (m.Chart, m.Image)).Order());
        Assert.Equal(5, report.Images);
        Assert.Equal(1, check.ExitCode);
        Assert.Equal(
            $"install.sh: checking platform-v9.9.9: 1 chart(s) rendered as they are installed\n  mixed: example/tool:1.0 (mixed/templates/pod.yaml)\n  mixed: library/redis@{Digest} (mixed/templates/pod.yaml)\n",
            check.Output);
        Assert.Contains("install.sh: 2 image(s) or chart(s) above are not in the package", check.Error);
    }

    [SkippableFact]
    public async Task A_chart_helm_cannot_render_is_named_by_both()
    {
        var helm = Requires.Helm();
        var (root, subject) = await Package();
        File.WriteAllBytes(subject.Charts[0].Archive, [1, 2, 3]);

        var report = new PackageVerifier((chart, registry) =>
        {
            var result = Shell.Run(helm, ["template", chart.Name, chart.Archive]);
            throw new Lading.Tools.ToolException("helm", "helm template", result.ExitCode, result.Error);
        }).Verify(subject);
        var check = Shell.Run(Requires.Tool("bash", "bash"), [Path.Combine(root, "install.sh"), "--check"], root,
            new Dictionary<string, string> { ["PATH"] = $"{Path.GetDirectoryName(helm)}:/usr/bin:/bin", ["HOME"] = _folder.Combine("home") });

        Assert.False(report.Complete);
        Assert.StartsWith("mixed: could not be rendered as install.sh installs it (namespace apps): Error:", Assert.Single(report.Problems));
        Assert.Equal(1, check.ExitCode);
        Assert.Contains("  mixed: helm cannot render it as it is installed (namespace apps): Error:", check.Output);
    }

    [Fact]
    public void Without_helm_the_chart_lists_and_annotations_are_checked()
    {
        var chart = _folder.Combine("src", "annotated");
        _folder.Write("src/annotated/Chart.yaml", "apiVersion: v2\nname: annotated\nversion: 1.0.0\nannotations:\n  helm.sh/images: |\n    - name: app\n      image: library/app:1\n");
        _folder.Write("src/annotated/images_extra.list", "library/extra:2\n");
        var packaged = Assert.Single(ChartPackager.PackageAllAsync([chart], _folder.Combine("charts"), 1).GetAwaiter().GetResult());

        var report = new PackageVerifier(null).Verify(new VerifySubject("p", [new ChartToVerify("annotated", "1.0.0", "default", packaged.Path)], OriginMapping.Empty,
            PackageImageIndex.FromPaths(["docker/registry/v2/repositories/library/app/_manifests/tags/1/current/link"])));

        Assert.False(report.Rendered);
        Assert.Equal([new MissingImage("annotated", "library/extra:2", "annotated/images_extra.list:1")], report.Missing);
        Assert.Equal("p is not complete: 1 image(s) its charts reference are not in the package\n  annotated: library/extra:2 (annotated/images_extra.list:1)", report.Describe());
    }
}
