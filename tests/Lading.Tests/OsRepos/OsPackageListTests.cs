using Lading.OsRepos;
using Lading.Tests.Fixtures;

namespace Lading.Tests.OsRepos;

public sealed class OsPackageListTests
{
    [Fact]
    public void Names_and_pinned_versions_are_read_and_comments_and_blank_lines_ignored()
    {
        var list = OsPackageList.Parse("# kubelet needs these\nconntrack\n\nsocat = 1.7.4.4-2\nlibc6=2.36-9+deb12u4 \nebtables=1:2.0.11-5\n", "os/debian-12.list", "debian", "12");

        Assert.Equal(PackageFamily.Deb, list.Family);
        Assert.Equal(
        [
            new OsPackage("conntrack", null, "os/debian-12.list:2"),
            new OsPackage("socat", "1.7.4.4-2", "os/debian-12.list:4"),
            new OsPackage("libc6", "2.36-9+deb12u4", "os/debian-12.list:5"),
            new OsPackage("ebtables", "1:2.0.11-5", "os/debian-12.list:6"),
        ], list.Packages);
        Assert.Equal(["conntrack", "socat=1.7.4.4-2", "libc6=2.36-9+deb12u4", "ebtables=1:2.0.11-5"], list.Packages.Select(p => p.AptRequest));
    }

    [Fact]
    public void Every_name_with_shell_characters_is_refused_with_its_line_at_once()
    {
        var text = string.Join('\n', "curl;reboot", "$(reboot)", "`id`", "two words", "\"quoted\"", "'single'", "Upper", "a", "nginx=1.0;id", "ok-package", "-o", "socat=$(id)");

        var error = Assert.Throws<OsRepoException>(() => OsPackageList.Parse(text, "os/ubuntu-22.04.list", "ubuntu", "22.04"));

        Assert.Equal(
        [
            "os/ubuntu-22.04.list:1", "os/ubuntu-22.04.list:2", "os/ubuntu-22.04.list:3", "os/ubuntu-22.04.list:4", "os/ubuntu-22.04.list:5", "os/ubuntu-22.04.list:6",
            "os/ubuntu-22.04.list:7", "os/ubuntu-22.04.list:8", "os/ubuntu-22.04.list:9", "os/ubuntu-22.04.list:11", "os/ubuntu-22.04.list:12",
        ], error.Problems.Select(p => p.Where));
        Assert.Contains("os/ubuntu-22.04.list:1: 'curl;reboot' is not a Debian package name", error.Message);
        Assert.Contains("'1.0;id' is not a Debian version for nginx", error.Message);
    }

    [Fact]
    public void Rpm_names_may_hold_capitals_and_underscores_but_no_shell_characters()
    {
        var list = OsPackageList.Parse("NetworkManager\npython3-dnf-plugin-versionlock\nperl_Digest\ncontainerd.io=1.6.28-3.1.el9\n", "os/rocky-9.list", "rocky", "9");

        Assert.Equal(["NetworkManager", "python3-dnf-plugin-versionlock", "perl_Digest", "containerd.io-1.6.28-3.1.el9"], list.Packages.Select(p => p.DnfRequest));
        var error = Assert.Throws<OsRepoException>(() => OsPackageList.Parse("socat\nkernel|id\n", "os/rocky-9.list", "rocky", "9"));
        Assert.Equal("os/rocky-9.list:2", Assert.Single(error.Problems).Where);
    }

    [Fact]
    public void The_same_package_pinned_twice_to_different_versions_is_a_contradiction()
    {
        var error = Assert.Throws<OsRepoException>(() => OsPackageList.Parse("socat=1.7\nconntrack\nsocat=1.8\nconntrack\n", "os/debian-12.list", "debian", "12"));

        var problem = Assert.Single(error.Problems);
        Assert.Equal("os/debian-12.list:3", problem.Where);
        Assert.Equal("socat=1.8 contradicts socat=1.7 at os/debian-12.list:1", problem.Message);
    }

    [Fact]
    public void A_list_file_names_its_distribution_and_release_and_a_folder_reports_every_bad_file()
    {
        using var folder = new TempFolder();
        folder.Write("os/ubuntu-22.04.list", "curl\n");
        folder.Write("os/rocky-9.list", "socat\nbad;name\n");
        folder.Write("os/plan9-4.list", "rc\n");
        folder.Write("os/debian.list", "curl\n");

        var ubuntu = OsPackageList.Load(folder.Combine("os/ubuntu-22.04.list"));
        var error = Assert.Throws<OsRepoException>(() => OsPackageList.LoadFolder(folder.Combine("os")));

        Assert.Equal(("ubuntu", "22.04", PackageFamily.Deb), (ubuntu.Distro, ubuntu.Release, ubuntu.Family));
        Assert.Equal(3, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.Where == folder.Combine("os/debian.list") && p.Message.Contains("named <distro>-<release>.list"));
        Assert.Contains(error.Problems, p => p.Where == folder.Combine("os/plan9-4.list") && p.Message.Contains("'plan9' is not a known distribution"));
        Assert.Contains(error.Problems, p => p.Where == folder.Combine("os/rocky-9.list") + ":2");
    }

    [Fact]
    public void Packages_made_in_code_are_checked_like_list_lines()
    {
        var error = Assert.Throws<OsRepoException>(() => OsPackageList.Validate([new OsPackage("ok", null, "recipe"), new OsPackage("x y", null, "recipe:3")], PackageFamily.Deb));

        Assert.Equal("recipe:3", Assert.Single(error.Problems).Where);
    }
}
