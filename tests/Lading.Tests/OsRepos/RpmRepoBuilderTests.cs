using Cake.Core.IO;
using Lading.OsRepos;
using Lading.Tests.Fixtures;
using Lading.Tools.Buildah;
using Lading.Tools.Docker;
using Path = System.IO.Path;

namespace Lading.Tests.OsRepos;

/// <summary>The generated Dockerfile built for real by buildah, FROM an image made locally that stands in for the distribution.</summary>
public sealed class RpmRepoBuilderTests(BuildahStore store) : IClassFixture<BuildahStore>, IDisposable
{
    private readonly TempFolder _folder = new("lading-rpm");
    private readonly RealCake _cake = new();

    public void Dispose() => _folder.Dispose();

    [SkippableFact]
    public void Buildah_builds_the_generated_dockerfile_into_a_repository_folder_holding_only_the_repository()
    {
        store.RequireFakeRpmImage();
        var target = new OsTarget("rocky", "9", "amd64") { BaseImage = BuildahStore.FakeRpmImage };
        var packages = OsPackageList.Parse("conntrack-tools\nsocat=1.7.4.1\n", "os/rocky-9.list", "rocky", "9").Packages;

        var repo = Builder().Build(target, packages, Options());

        Assert.Equal(Path.Combine(_folder.Combine("repos"), "rocky-9", "amd64"), repo.Folder);
        Assert.Equal(["Packages", "repodata"], Directory.GetFileSystemEntries(repo.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["conntrack-tools", "socat-1.7.4.1"], repo.Packages.Select(p => p.Name));
        Assert.All(repo.Packages, p => Assert.Equal("x86_64", p.Architecture));
        var dnfArguments = File.ReadAllText(Path.Combine(repo.Folder, "Packages", "conntrack-tools-1.0-1.x86_64.rpm"));
        Assert.Equal("--resolve --alldeps --arch=x86_64,noarch --destdir /repo/Packages conntrack-tools socat-1.7.4.1", dnfArguments.Trim());
        Assert.True(File.Exists(Path.Combine(repo.Folder, "repodata", "repomd.xml")));
    }

    [SkippableFact]
    public void A_build_that_fails_leaves_the_previous_repository_and_names_the_target()
    {
        store.RequireFakeRpmImage();
        var options = Options();
        var previous = Path.Combine(options.Repositories, "rocky-9", "amd64");
        Directory.CreateDirectory(previous);
        File.WriteAllText(Path.Combine(previous, "marker"), "previous build");
        var target = new OsTarget("rocky", "9", "amd64") { BaseImage = "localhost/lading-no-such-image:none" };

        var error = Assert.Throws<OsRepoException>(() => Builder().Build(target, [new OsPackage("socat", null, "os/rocky-9.list:1")], options));

        Assert.Equal("rocky-9 (amd64)", error.Problems[0].Where);
        Assert.Contains("the repository build (Buildah) failed", error.Message);
        Assert.Equal(["marker"], Directory.GetFileSystemEntries(previous).Select(Path.GetFileName));
        Assert.Equal(["amd64"], Directory.GetFileSystemEntries(Path.Combine(options.Repositories, "rocky-9")).Select(Path.GetFileName));
    }

    private OsRepoOptions Options() => new()
    {
        Repositories = _folder.Combine("repos"),
        Cache = _folder.Combine("cache"),
        Work = _folder.Combine("work"),
        Builder = ContainerBuilder.Buildah,
        Buildah = () => new BuildahSettings
        {
            StorageRoot = new DirectoryPath(store.StorageRoot),
            RunRoot = new DirectoryPath(store.RunRoot),
            StorageDriver = "vfs",
            Isolation = "chroot",
            Pull = "never",
        },
    };

    private RpmRepoBuilder Builder()
    {
        var (runner, tools) = (_cake.Runner, _cake.Tools);
        return new RpmRepoBuilder(new BuildahRunner(_cake.FileSystem, _cake.Environment, runner, tools), new DockerBuildxRunner(_cake.FileSystem, _cake.Environment, runner, tools));
    }
}
