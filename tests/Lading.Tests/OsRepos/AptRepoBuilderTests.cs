using Path = System.IO.Path;
using Lading.OsRepos;
using Lading.Tests.Fixtures;
using Lading.Tools.Apt;
using Lading.Tools.Buildah;
using Lading.Tools.Docker;

namespace Lading.Tests.OsRepos;

/// <summary>The real apt, against a mirror made by the test on loopback: closure, offline install, cache, errors.</summary>
public sealed class AptRepoBuilderTests(FakeDebMirror mirror) : IClassFixture<FakeDebMirror>, IDisposable
{
    private static readonly string[] Closure = ["lading-app_1.0_all.deb", "lading-base_1.0_all.deb", "lading-conf_1.0_all.deb", "lading-lib_1.1_all.deb"];

    private readonly TempFolder _folder = new("lading-apt");
    private readonly RealCake _cake = new();

    public void Dispose() => _folder.Dispose();

    [SkippableFact]
    public void The_repository_holds_exactly_the_closure_and_apt_installs_from_it_alone()
    {
        // Written where the site's nginx serves it.
        var served = $"repos-{Guid.NewGuid():N}";
        var repo = Builder().Build(Upstream(), Request("lading-app"), Options() with { Repositories = mirror.Nginx.PathOf(served) });

        Assert.Equal(Closure, PoolOf(repo));
        Assert.Equal(Closure.Select(f => "pool/" + f), repo.Packages.Select(p => p.File).Order(StringComparer.Ordinal));
        var release = File.ReadAllText(Path.Combine(repo.Folder, "Release"));
        Assert.Contains("SHA256:", release);
        Assert.Matches(@" [0-9a-f]{64} +\d+ Packages.gz", release);

        // A machine that knows only the offline repository, over http as the site serves it.
        var site = new OsTarget("debian", "12", "amd64") { AptSources = [AptSource.Parse($"deb [trusted=yes] {mirror.Nginx.BaseUri}{served}/debian-12/amd64 ./", "test")] };
        var root = AptRoot.Prepare(_folder.Combine("site"), site);
        var apt = AptGet();
        apt.Update(root.Settings());
        apt.InstallDownloadOnly(["lading-app"], root.Settings());

        Assert.Equal(Closure, Directory.GetFiles(_folder.Combine("site", "var", "cache", "apt", "archives"), "*.deb").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("/upstream/", File.ReadAllText(root.SourcesList));
    }

    [SkippableFact]
    public void A_list_file_goes_through_the_builder_of_its_family_and_the_repository_answers_as_a_file_source()
    {
        var list = OsPackageList.Load(_folder.Write("os/debian-12.list", "# what the nodes need\nlading-app\n"));
        var (runner, tools) = (_cake.Runner, _cake.Tools);
        var rpm = new RpmRepoBuilder(new BuildahRunner(_cake.FileSystem, _cake.Environment, runner, tools), new DockerBuildxRunner(_cake.FileSystem, _cake.Environment, runner, tools));
        var repo = new OsRepoBuilder(Builder(), rpm).Build(Upstream(), list, Options());

        var site = new OsTarget("debian", "12", "amd64") { AptSources = [AptSource.Parse(repo.FileSourceLine, "test")] };
        var root = AptRoot.Prepare(_folder.Combine("site"), site);
        AptGet().Update(root.Settings());
        var simulation = AptGet().SimulateInstall(["lading-app"], root.Settings());

        Assert.Equal(0, simulation.ExitCode);
        Assert.Equal(["lading-app", "lading-base", "lading-conf", "lading-lib"], AptRepoBuilder.ParseSimulation(simulation.Output).Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public void Essential_packages_come_only_when_asked_for_with_their_dependencies()
    {
        var without = Builder().Build(Upstream(), Request("lading-conf"), Options());
        Assert.Equal(["lading-conf_1.0_all.deb"], PoolOf(without));

        var with = Builder().Build(Upstream(), Request("lading-conf"), Options() with { IncludeEssential = true });

        Assert.Equal(["lading-conf_1.0_all.deb", "lading-shell-libs_1.0_all.deb", "lading-shell_1.0_all.deb"], PoolOf(with));
    }

    [SkippableFact]
    public void A_pinned_older_version_is_the_one_packaged()
    {
        var repo = Builder().Build(Upstream(), Request("lading-app", "lading-lib=1.0"), Options());

        Assert.Contains("lading-lib_1.0_all.deb", PoolOf(repo));
        Assert.DoesNotContain("lading-lib_1.1_all.deb", PoolOf(repo));
    }

    [SkippableFact]
    public void A_rerun_takes_the_debs_from_the_cache_and_replaces_the_repository_whole()
    {
        var options = Options();
        Builder().Build(Upstream(), Request("lading-conf"), options);
        var fetched = mirror.Fetches("lading-conf_1.0_all.deb");
        Assert.True(fetched >= 1, mirror.Nginx.AccessLog);

        var repo = Builder().Build(Upstream(), Request("lading-conf"), options);

        Assert.Equal(fetched, mirror.Fetches("lading-conf_1.0_all.deb"));
        Assert.Equal(["lading-conf_1.0_all.deb"], PoolOf(repo));
        Assert.Equal(["amd64"], Directory.GetFileSystemEntries(Path.Combine(options.Repositories, "debian-12")).Select(Path.GetFileName));
    }

    [SkippableFact]
    public void A_damaged_deb_in_the_cache_is_fetched_again()
    {
        var options = Options();
        Builder().Build(Upstream(), Request("lading-base"), options);
        var fetched = mirror.Fetches("lading-base_1.0_all.deb");
        File.WriteAllText(Path.Combine(options.Cache, "os", "debian-12", "amd64", "lading-base_1.0_all.deb"), "not a deb");

        var repo = Builder().Build(Upstream(), Request("lading-base"), options);

        Assert.Equal(fetched + 1, mirror.Fetches("lading-base_1.0_all.deb"));
        Assert.Equal(File.ReadAllBytes(mirror.Nginx.PathOf("upstream/pool/main/lading-base_1.0_all.deb")), File.ReadAllBytes(Path.Combine(repo.Folder, "pool", "lading-base_1.0_all.deb")));
    }

    [SkippableFact]
    public void A_package_no_source_has_is_named_with_its_line_and_the_target()
    {
        var error = Assert.Throws<OsRepoException>(() => Builder().Build(Upstream(), Request("lading-app", "lading-nowhere"), Options()));

        var problem = Assert.Single(error.Problems);
        Assert.Equal("os/debian-12.list:2", problem.Where);
        Assert.Contains("package 'lading-nowhere' is not available for debian-12 (amd64)", problem.Message);
        Assert.Contains(mirror.Upstream.ToString(), problem.Message);
        Assert.False(Directory.Exists(Path.Combine(_folder.Combine("repos"), "debian-12", "amd64")));
    }

    [SkippableFact]
    public void A_source_nobody_answers_fails_the_update_naming_the_target_and_the_address()
    {
        var aptGet = Requires.Tool("apt-get", "apt");
        var closed = new Uri($"http://127.0.0.1:{FreePort.Next()}/debian/");
        var target = OsTarget.FromMirror("debian", "12", "amd64", closed, ["stable"], ["main"], trusted: true);
        // apt tries a refused connection again after 1, 2 and 4 s; the first refusal is all this test needs.
        var once = _folder.Write("bin/apt-get", $"#!/bin/sh\nexec \"{aptGet}\" -o Acquire::Retries=0 \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(once, (UnixFileMode)0b111_101_101);
        }

        var error = Assert.Throws<OsRepoException>(() => Builder().Build(target, Request("lading-app"), Options() with { AptGet = once }));

        Assert.StartsWith("debian-12 (amd64): apt-get update failed", error.Message);
        Assert.Contains(closed.Authority, error.Message);
    }

    private OsTarget Upstream()
    {
        Requires.Tool("apt-get", "apt");
        return OsTarget.FromMirror("debian", "12", "amd64", mirror.Upstream, ["stable"], ["main"], trusted: true);
    }

    private static IReadOnlyList<OsPackage> Request(params string[] lines) =>
        OsPackageList.Parse(string.Join('\n', lines), "os/debian-12.list", "debian", "12").Packages;

    private OsRepoOptions Options() => new()
    {
        Repositories = _folder.Combine("repos"),
        Cache = _folder.Combine("cache"),
        Work = _folder.Combine("work"),
    };

    private static string[] PoolOf(OsRepo repo) =>
        Directory.GetFiles(Path.Combine(repo.Folder, "pool")).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();

    private AptRepoBuilder Builder()
    {
        var (runner, tools) = (_cake.Runner, _cake.Tools);
        return new AptRepoBuilder(new AptGetRunner(_cake.FileSystem, _cake.Environment, runner, tools), new DpkgScanPackagesRunner(_cake.FileSystem, _cake.Environment, runner, tools), new AptFtpArchiveRunner(_cake.FileSystem, _cake.Environment, runner, tools));
    }

    private AptGetRunner AptGet()
    {
        var (runner, tools) = (_cake.Runner, _cake.Tools);
        return new AptGetRunner(_cake.FileSystem, _cake.Environment, runner, tools);
    }

}
