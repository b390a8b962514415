using Lading.Images;
using Lading.OsRepos;
using Lading.Packaging;
using Lading.Tests.Fixtures;
using Lading.Tests.Images;
using Lading.Tests.OsRepos;
using Lading.Tests.Registry;
using Lading.Tools.Apt;

namespace Lading.Tests.Pipeline;

/// <summary>./build.sh --target=OfflineResources end to end: an apt mirror, a file server and a registry on loopback.</summary>
public sealed class OfflineResourcesTests(FakeDebMirror mirror, PopulatedRegistry source)
    : IClassFixture<FakeDebMirror>, IClassFixture<PopulatedRegistry>, IDisposable
{
    private readonly TempFolder _folder = new("lading-offline");

    public void Dispose() => _folder.Dispose();

    [SkippableFact]
    public async Task The_package_resolves_apt_offline_verifies_its_files_serves_its_images_and_matches_its_manifest()
    {
        var nerdctl = System.Security.Cryptography.RandomNumberGenerator.GetBytes(100_000);
        var served = $"files-{Guid.NewGuid():N}";
        Directory.CreateDirectory(mirror.Nginx.PathOf($"{served}/nerdctl/v1.7.6"));
        File.WriteAllBytes(mirror.Nginx.PathOf($"{served}/nerdctl/v1.7.6/nerdctl-full-1.7.6-linux-amd64.tar.gz"), nerdctl);
        var host = $"127.0.0.1:{mirror.Nginx.Port}";
        _folder.Write("files.list", $"{mirror.Nginx.BaseUri}{served}/nerdctl/v1.7.6/nerdctl-full-1.7.6-linux-amd64.tar.gz sha256:{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(nerdctl))}\n");
        _folder.Write("images.list", "release/multi:3.1\n");
        _folder.Write("os/debian-12.list", "# what every node needs\nlading-app\n");
        _folder.Write("offline.yaml", $"""
            name: site
            images:
              lists: images.list
              platforms: all
            registry:
              source: {source.Server.Host}
            offline:
              files: files.list
              siteHost: offline.test
              nginxImage: library/plain:1.0
              registryImage: library/oci:2.0
            os:
              - list: os/debian-12.list
                arch: amd64
                sources:
                  - deb [trusted=yes] {mirror.Upstream} stable main
            """);

        var run = HostHarness.RunLading(_folder.Path, null, ["--target=OfflineResources", "--recipe=offline.yaml", "--version=v1", $"--cache={_folder.Combine("cache")}", "--output=out"]);

        Assert.True(run.ExitCode == 0, run.Output);
        var tar = _folder.Combine("out", "site-offline-resources-v1.tar");
        var extracted = _folder.Combine("site");
        await SafeTarExtractor.ExtractFileAsync(tar, extracted, CancellationToken.None);
        var root = Path.Combine(extracted, "site-offline-resources-v1");
        var manifest = PackageManifest.Parse(File.ReadAllText(Path.Combine(root, PackageManifest.FileName)), tar);
        foreach (var file in manifest.Files)
        {
            Assert.Equal(file.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(root, file.Path)))));
        }

        Assert.Equal(
            manifest.Files.Select(f => f.Path).Append(PackageManifest.FileName).Order(StringComparer.Ordinal),
            Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal));
        foreach (var part in new[] { "site.yaml", "install.sh", "images-archives/nginx.oci.tar", "images-archives/registry.oci.tar" })
        {
            Assert.True(File.Exists(Path.Combine(root, part)), part);
        }

        Assert.Equal(nerdctl, File.ReadAllBytes(Path.Combine(root, "files", host, served, "nerdctl/v1.7.6/nerdctl-full-1.7.6-linux-amd64.tar.gz")));

        // A node that knows only the package's repository, served from the extracted package as the site serves it.
        var site = $"site-{Guid.NewGuid():N}";
        Directory.CreateSymbolicLink(mirror.Nginx.PathOf(site), Path.Combine(root, "repos"));
        var cake = new RealCake();
        var node = new OsTarget("debian", "12", "amd64") { AptSources = [AptSource.Parse($"deb [trusted=yes] {mirror.Nginx.BaseUri}{site}/debian-12/amd64 ./", "test")] };
        var aptRoot = AptRoot.Prepare(_folder.Combine("node"), node);
        var apt = new AptGetRunner(cake.FileSystem, cake.Environment, cake.Runner, cake.Tools);
        apt.Update(aptRoot.Settings());
        apt.InstallDownloadOnly(["lading-app"], aptRoot.Settings());
        Assert.Equal(4, Directory.GetFiles(_folder.Combine("node", "var", "cache", "apt", "archives"), "*.deb").Length);

        using var registry = await DockerRegistry.StartAsync(Path.Combine(root, "images", "registry"), readOnly: true);
        Assert.Equal(await Skopeo.RawDigestAsync(source.Server.Host, "release/multi:3.1"), await Skopeo.RawDigestAsync(registry.Host, "release/multi:3.1"));
    }
}
