using Lading.OsRepos;
using Lading.Tests.Fixtures;

namespace Lading.Tests.OsRepos;

public sealed class OsTargetTests
{
    [Fact]
    public void A_source_line_with_a_keyring_is_read_and_written_back_with_the_target_architecture()
    {
        var source = AptSource.Parse("deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg arch=arm64] http://deb.debian.org/debian bookworm main contrib", "recipe.yaml:12");

        Assert.Equal(new Uri("http://deb.debian.org/debian"), source.Uri);
        Assert.Equal("bookworm", source.Suite);
        Assert.Equal(["main", "contrib"], source.Components);
        Assert.Equal(
            "deb [arch=amd64 signed-by=/work/apt/etc/apt/keyrings/source1.gpg] http://deb.debian.org/debian bookworm main contrib",
            source.ToSourcesLine("amd64", "/work/apt/etc/apt/keyrings/source1.gpg"));
    }

    [Fact]
    public void A_flat_repository_takes_no_components_and_a_trusted_one_says_so()
    {
        var flat = AptSource.Parse("deb [trusted=yes] http://127.0.0.1:8080/repos/debian-12/amd64 ./", "site");

        Assert.True(flat.IsFlat);
        Assert.Equal("deb [arch=amd64 trusted=yes] http://127.0.0.1:8080/repos/debian-12/amd64 ./", flat.ToSourcesLine("amd64"));
        Assert.Equal(new Uri("file:///srv/repo"), AptSource.Parse("deb [trusted=yes] file:/srv/repo ./", "site").Uri);
        Assert.Contains("takes no components", Assert.Throws<OsRepoException>(() => AptSource.Parse("deb file:/srv/repo ./ main", "site")).Message);
        Assert.Contains("needs components", Assert.Throws<OsRepoException>(() => AptSource.Parse("deb http://deb.debian.org/debian bookworm", "site")).Message);
    }

    [Theory]
    [InlineData("deb-src http://deb.debian.org/debian bookworm main", "starts with 'deb '")]
    [InlineData("deb ftp://ftp.debian.org/debian bookworm main", "is not an http, https or file URL")]
    [InlineData("deb [allow-insecure=yes] http://deb.debian.org/debian bookworm main", "option 'allow-insecure' is not supported")]
    [InlineData("deb [trusted=yes http://deb.debian.org/debian bookworm main", "never closes it")]
    [InlineData("deb http://deb.debian.org/debian", "needs a URL and a suite")]
    public void Source_lines_apt_would_not_take_are_refused_with_the_reason(string line, string reason)
    {
        var error = Assert.Throws<OsRepoException>(() => AptSource.Parse(line, "recipe.yaml:7"));

        Assert.Equal("recipe.yaml:7", error.Problems[0].Where);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_mirror_gives_one_source_per_suite()
    {
        var target = OsTarget.FromMirror("ubuntu", "22.04", "arm64", new Uri("http://ports.ubuntu.com/ubuntu-ports/"), ["jammy", "jammy-updates"], ["main", "universe"], signedBy: "/keys/ubuntu.gpg");

        Assert.Equal(
        [
            "deb [arch=arm64 signed-by=/keys/ubuntu.gpg] http://ports.ubuntu.com/ubuntu-ports/ jammy main universe",
            "deb [arch=arm64 signed-by=/keys/ubuntu.gpg] http://ports.ubuntu.com/ubuntu-ports/ jammy-updates main universe",
        ], target.AptSources.Select(s => s.ToSourcesLine(target.Architecture)));
        Assert.Equal(("ubuntu-22.04/arm64", "linux/arm64", "aarch64"), (target.RepositoryPath, target.Platform, target.RpmArchitecture));
    }

    [Fact]
    public void A_target_reports_every_problem_at_once()
    {
        var target = new OsTarget("debian", "12;id", "amd64 x") { BaseImage = "debian 12" };

        var error = Assert.Throws<OsRepoException>(target.Validate);

        Assert.Equal(4, error.Problems.Count);
        Assert.All(error.Problems, p => Assert.Equal("debian-12;id (amd64 x)", p.Where));
        Assert.Contains(error.Problems, p => p.Message.Contains("needs at least one apt source"));
    }

    [Fact]
    public void The_isolated_root_has_its_own_sources_keys_and_an_empty_status_every_time()
    {
        using var folder = new TempFolder();
        var key = folder.Write("keys/debian.asc", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n");
        var target = OsTarget.FromMirror("debian", "12", "amd64", new Uri("http://deb.debian.org/debian"), ["bookworm"], ["main"], signedBy: key);
        var rootPath = folder.Combine("root");
        folder.Write("root/var/lib/dpkg/status", "Package: left-over\nStatus: install ok installed\n");
        folder.Write("root/etc/apt/sources.list.d/old.list", "deb http://old.example.com/ stale main\n");

        var root = AptRoot.Prepare(rootPath, target);

        Assert.Equal(string.Empty, File.ReadAllText(root.Status));
        Assert.Empty(Directory.GetFiles(folder.Combine("root/etc/apt/sources.list.d")));
        var keyring = folder.Combine("root/etc/apt/keyrings/source1.asc");
        Assert.Equal($"# debian-12 (amd64): the only sources this resolution sees\ndeb [arch=amd64 signed-by={keyring}] http://deb.debian.org/debian bookworm main\n", File.ReadAllText(root.SourcesList));
        Assert.True(File.Exists(keyring));
        Assert.Equal($"Dir \"{rootPath}/\";\n", File.ReadAllText(folder.Combine("root/etc/apt/apt.conf")));
    }

    [Fact]
    public void A_keyring_that_does_not_exist_is_named()
    {
        using var folder = new TempFolder();
        var target = OsTarget.FromMirror("debian", "12", "amd64", new Uri("http://deb.debian.org/debian"), ["bookworm"], ["main"], signedBy: "/nonexistent/debian.gpg");

        var error = Assert.Throws<OsRepoException>(() => AptRoot.Prepare(folder.Combine("root"), target));

        Assert.Equal("debian-12 (amd64): the keyring /nonexistent/debian.gpg named by signed-by for http://deb.debian.org/debian does not exist", error.Message);
    }

    [Fact]
    public void A_plan_names_the_target_its_packages_the_folder_and_the_method()
    {
        var options = new OsRepoOptions { Repositories = "/out/repos", Cache = "/cache", Work = "/work", Builder = ContainerBuilder.DockerBuildx };
        var debian = OsTarget.FromMirror("debian", "12", "amd64", new Uri("http://deb.debian.org/debian"), ["bookworm", "bookworm-updates"], ["main"]);
        var rocky = new OsTarget("rocky", "9", "amd64");

        var debPlan = OsRepoBuilder.Plan(debian, OsPackageList.Parse("conntrack\nsocat=1.7.4.4-2\n", "os/debian-12.list", "debian", "12"), options);
        var rpmPlan = OsRepoBuilder.Plan(rocky, OsPackageList.Parse("socat\n", "os/rocky-9.list", "rocky", "9"), options);

        Assert.Equal("debian-12 (amd64): 2 packages (conntrack socat=1.7.4.4-2) with their dependencies -> /out/repos/debian-12/amd64, by apt in an isolated root from http://deb.debian.org/debian bookworm, http://deb.debian.org/debian bookworm-updates", debPlan.ToString());
        Assert.Equal("rocky-9 (amd64): 1 package (socat) with their dependencies -> /out/repos/rocky-9/amd64, by docker buildx build FROM docker.io/rockylinux/rockylinux:9", rpmPlan.ToString());
    }

    [Fact]
    public void A_list_for_another_release_than_the_target_is_refused()
    {
        var options = new OsRepoOptions { Repositories = "/out/repos", Cache = "/cache", Work = "/work" };
        var target = OsTarget.FromMirror("ubuntu", "22.04", "amd64", new Uri("http://archive.ubuntu.com/ubuntu"), ["jammy"], ["main"]);

        var error = Assert.Throws<OsRepoException>(() => OsRepoBuilder.Plan(target, OsPackageList.Parse("curl\n", "os/ubuntu-24.04.list", "ubuntu", "24.04"), options));

        Assert.Equal("os/ubuntu-24.04.list: this list is for ubuntu-24.04, not for the target ubuntu-22.04 (amd64)", error.Message);
    }
}
