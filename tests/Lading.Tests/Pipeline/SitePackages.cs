using Lading.Tests.Fixtures;

namespace Lading.Tests.Pipeline;

/// <summary>
/// One platform package and three hotfixes of the example release, built once for the tests that install them:
/// v1.0.0 ships gateway and console; v1.0.1 adds the cache chart and its image; v1.0.2 changes the gateway chart
/// (v1.25.4, no new image) and deletes console. Hotfixes: v1.0.0→v1.0.1 (a chart and an image), v1.0.1→v1.0.2 (charts
/// only, a chained hotfix) and v1.0.0→v1.0.2 (cumulative: every change since the release).
/// </summary>
public sealed class SitePackages : IDisposable
{
    private static readonly string Example = Path.Combine(Requires.RepositoryRoot, "recipes", "example");
    private readonly TempFolder _folder = new("lading-site-packages");
    private readonly Lazy<Built> _built;

    public SitePackages() => _built = new Lazy<Built>(BuildAll);

    public sealed record Built(string Platform, string Hotfix101, string Hotfix102Chained, string Hotfix102, string Commit100);

    /// <summary>The packages (built on first use, so a test can first skip when helm is missing).</summary>
    public Built Packages => _built.Value;

    public void Dispose() => _folder.Dispose();

    /// <summary>Unpacks a package tar beside its .sha256, as the site guide says, under <paramref name="site"/>; returns the package folder.</summary>
    public static string Unpack(string tar, string site)
    {
        Directory.CreateDirectory(site);
        File.Copy(tar + ".sha256", Path.Combine(site, Path.GetFileName(tar) + ".sha256"), overwrite: true);
        var result = Shell.Run(Requires.Tool("tar", "tar"), ["-xf", tar, "-C", site]);
        Assert.True(result.ExitCode == 0, result.All);
        return Path.Combine(site, Path.GetFileNameWithoutExtension(tar));
    }

    public static string Sha256Of(string tar) => File.ReadAllText(tar + ".sha256").Split(' ')[0];

    private Built BuildAll()
    {
        var release = GitRepo.Init(_folder.Combine("platform-release"));
        Trees.Copy(Path.Combine(Example, "platform-release"), release.Path);
        Directory.Delete(Path.Combine(release.Path, "addons", "cache"), recursive: true);
        release.Write("images/images_platform.list", "library/nginx:1.25.3\nrelease/console:v1.0.0\n").Commit("v1.0.0").Tag("v1.0.0", "release v1.0.0");

        Trees.Copy(Path.Combine(Example, "platform-release", "addons", "cache"), Path.Combine(release.Path, "addons", "cache"));
        release.Write("images/images_platform.list", "library/nginx:1.25.3\nlibrary/redis:7.2.4\nrelease/console:v1.0.0\n").Commit("v1.0.1").Tag("v1.0.1", "release v1.0.1");

        var gateway = Path.Combine(release.Path, "addons", "gateway");
        release.Delete("addons/console")
            .Write("addons/gateway/Chart.yaml", File.ReadAllText(Path.Combine(gateway, "Chart.yaml")).Replace("version: v1.25.3", "version: v1.25.4"))
            .Write("addons/gateway/values.yaml", File.ReadAllText(Path.Combine(gateway, "values.yaml")).Replace("replicas: 1", "replicas: 2"))
            .Write("version.yml", """
                spec:
                  modules:
                  - name: base
                    enable: true
                    addons:
                    - {name: gateway, enable: true, namespace: kube-system, version: v1.25.4}
                    - {name: cache, enable: true, namespace: kube-system, version: v7.2.4}
                """)
            .Write("images/images_platform.list", "library/nginx:1.25.3\nlibrary/redis:7.2.4\n").Commit("v1.0.2").Tag("v1.0.2", "release v1.0.2");

        var platform = Build("platform", "--target=Package", "--version=v1.0.0");
        return new Built(
            platform,
            Build("hotfix-101", "--target=Hotfix", "--base-version=v1.0.0", "--version=v1.0.1", $"--base-package={platform}"),
            Build("hotfix-102-chained", "--target=Hotfix", "--base-version=v1.0.1", "--version=v1.0.2"),
            Build("hotfix-102", "--target=Hotfix", "--base-version=v1.0.0", "--version=v1.0.2", $"--base-package={platform}"),
            release.Git("rev-parse", "v1.0.0^{commit}").Trim());

        string Build(string output, params string[] args)
        {
            var run = HostHarness.RunLading(_folder.Path, null, [
                "--name=platform", $"--release-repo={release.Path}", $"--source-registry=oci:{Path.Combine(Example, "images")}", $"--helm={Requires.Helm()}",
                $"--cache={_folder.Combine("cache")}", $"--work={_folder.Combine("work")}", $"--output={_folder.Combine(output)}", .. args,
            ]);
            Assert.True(run.ExitCode == 0, run.Output);
            return Assert.Single(Directory.GetFiles(_folder.Combine(output), "*.tar"));
        }
    }
}
