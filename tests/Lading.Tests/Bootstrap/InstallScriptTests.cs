using Lading.Bootstrap;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Bootstrap;

/// <summary>
/// The install.sh of offline-resources and of the Kubespray package, checked by bash and run for real against
/// stand-in nerdctl, systemctl and id programs that record what they are asked.
/// </summary>
public sealed class InstallScriptTests : IDisposable
{
    private readonly TempFolder _folder = new("lading-install");
    private readonly SiteOptions _site = new("offline.site.test", ["10.20.0.5"], filesPort: 8081, registryPort: 5443);
    private readonly SiteArchives _archives = new("files/github.com/containerd/nerdctl/releases/download/v2.0.3/nerdctl-full-2.0.3-linux-amd64.tar.gz", "bootstrap/nginx.oci.tar", "bootstrap/registry.oci.tar");

    public void Dispose() => _folder.Dispose();

    private string Log => _folder.Combine("calls.log");

    /// <summary>A program that appends its name and arguments to the log and succeeds.</summary>
    private void Recorder(string path, string name) =>
        Executable(path, $"#!/bin/bash\nprintf '%s\\n' \"{name} $*\" >> \"$CALLS\"\n");

    private static void Executable(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private ShellResult Bash(string script, string[] arguments, Dictionary<string, string>? environment = null)
    {
        var bash = Requires.Tool("bash", "bash");
        var env = new Dictionary<string, string>
        {
            ["PATH"] = $"{_folder.Combine("bin")}:/usr/bin:/bin",
            ["CALLS"] = Log,
            ["HOME"] = _folder.Combine("home"),
        };
        foreach (var (key, value) in environment ?? [])
        {
            env[key] = value;
        }

        return Shell.Run(bash, [script, .. arguments], environment: env, timeout: TimeSpan.FromMinutes(1));
    }

    private string SitePackage()
    {
        var package = _folder.Combine("package");
        Recorder(_folder.Combine("nerdctl-full", "bin", "nerdctl"), "nerdctl");
        Directory.CreateDirectory(Path.Combine(package, Path.GetDirectoryName(_archives.NerdctlFull)!));
        var tar = Shell.Run(Requires.Tool("tar", "tar"), ["-czf", Path.Combine(package, _archives.NerdctlFull), "-C", _folder.Combine("nerdctl-full"), "bin"]);
        Assert.True(tar.ExitCode == 0, tar.All);
        foreach (var file in new[] { _archives.NginxImage, _archives.RegistryImage, SiteFiles.NginxConfig, SiteFiles.RegistryConfig, "tls/server.pem", "tls/server-key.pem" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(package, file))!);
            File.WriteAllText(Path.Combine(package, file), file);
        }

        File.WriteAllText(Path.Combine(package, SiteFiles.Compose), SiteCompose.Render(_site));
        File.WriteAllText(Path.Combine(package, SiteFiles.InstallScript), SiteInstallScript.Render(_site, _archives));
        Executable(_folder.Combine("bin", "id"), "#!/bin/bash\necho 0\n");
        Recorder(_folder.Combine("bin", "systemctl"), "systemctl");
        return package;
    }

    [SkippableFact]
    public void Both_install_scripts_are_valid_bash()
    {
        var bash = Requires.Tool("bash", "bash");
        var site = _folder.Write("site.sh", SiteInstallScript.Render(_site, _archives));
        var kubespray = _folder.Write("kubespray.sh", KubesprayPackageFiles.InstallScript("offline.site.test:5443/kubespray:v2.26.0", "images/kubespray.oci.tar"));

        foreach (var script in new[] { site, kubespray })
        {
            var result = Shell.Run(bash, ["-n", script]);
            Assert.True(result.ExitCode == 0, $"{script}: {result.All}");
        }

        // shellcheck is not installed by tests/run.sh; where it is, its warnings count too.
        var shellcheck = new[] { "/usr/bin/shellcheck", "/usr/local/bin/shellcheck" }.FirstOrDefault(File.Exists);
        if (shellcheck is not null)
        {
            var result = Shell.Run(shellcheck, [site, kubespray]);
            Assert.True(result.ExitCode == 0, result.All);
        }
    }

    [SkippableFact]
    public void The_site_install_script_installs_nerdctl_full_loads_both_images_starts_compose_and_prints_the_endpoints()
    {
        var package = SitePackage();
        var prefix = _folder.Combine("prefix");

        var result = Bash(Path.Combine(package, SiteFiles.InstallScript), [], new() { ["PREFIX"] = prefix });

        Assert.True(result.ExitCode == 0, result.All);
        Assert.True(File.Exists(Path.Combine(prefix, "bin", "nerdctl")));
        Assert.Equal(
            """
            systemctl daemon-reload
            systemctl enable --now containerd
            nerdctl load -i bootstrap/nginx.oci.tar
            nerdctl load -i bootstrap/registry.oci.tar
            nerdctl compose -f compose.yaml -p offline-resources up -d

            """,
            File.ReadAllText(Log));
        Assert.Contains("  files:    http://offline.site.test:8081/files/\n", result.Output);
        Assert.Contains("  repos:    http://offline.site.test:8081/repos/\n", result.Output);
        Assert.Contains("  registry: https://offline.site.test:5443\n", result.Output);
        Assert.Contains($"{package}/tls/ca.pem", result.Output);
    }

    [SkippableFact]
    public void The_site_install_script_names_every_missing_file_and_changes_nothing()
    {
        var package = SitePackage();
        File.Delete(Path.Combine(package, _archives.RegistryImage));
        File.Delete(Path.Combine(package, "tls/server-key.pem"));

        var result = Bash(Path.Combine(package, SiteFiles.InstallScript), [], new() { ["PREFIX"] = _folder.Combine("prefix") });

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("missing from the package: bootstrap/registry.oci.tar\nmissing from the package: tls/server-key.pem\n", result.Error);
        Assert.False(File.Exists(Log));
    }

    [SkippableFact]
    public void The_site_install_script_refuses_to_run_without_root()
    {
        var package = SitePackage();
        Executable(_folder.Combine("bin", "id"), "#!/bin/bash\necho 1000\n");

        var result = Bash(Path.Combine(package, SiteFiles.InstallScript), [], new() { ["PREFIX"] = _folder.Combine("prefix") });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("must run as root", result.Error);
        Assert.False(File.Exists(Log));
    }

    [SkippableFact]
    public void The_kubespray_install_script_loads_the_image_and_runs_the_playbook_against_the_inventory()
    {
        var package = _folder.Combine("kubespray");
        _folder.Write("kubespray/install.sh", KubesprayPackageFiles.InstallScript("offline.site.test:5443/kubespray:v2.26.0", "images/kubespray.oci.tar"));
        var inventory = _folder.Combine("site-inventory");
        _folder.Write("site-inventory/hosts.yaml", KubesprayPackageFiles.InventorySample());
        var key = _folder.Write("keys/id_ed25519", "key");
        Recorder(_folder.Combine("bin", "nerdctl"), "nerdctl");

        var result = Bash(Path.Combine(package, "install.sh"), [inventory, "--limit", "node2"], new() { ["SSH_KEY"] = key });

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal(
            $"""
            nerdctl load -i {package}/images/kubespray.oci.tar
            nerdctl run --rm --name kubespray --network host -v {inventory}:/inventory -v {key}:/root/.ssh/id_rsa:ro offline.site.test:5443/kubespray:v2.26.0 -i /inventory/hosts.yaml --private-key /root/.ssh/id_rsa --become --limit node2 cluster.yml

            """,
            File.ReadAllText(Log));
    }

    [SkippableFact]
    public void The_kubespray_install_script_uses_the_packaged_inventory_and_another_playbook_when_asked()
    {
        var package = _folder.Combine("kubespray");
        _folder.Write("kubespray/install.sh", KubesprayPackageFiles.InstallScript("site:5443/kubespray:v2.26.0"));
        _folder.Write("kubespray/inventory/hosts.yaml", KubesprayPackageFiles.InventorySample());
        var key = _folder.Write("keys/id_rsa", "key");
        Recorder(_folder.Combine("bin", "nerdctl"), "nerdctl");

        var result = Bash(Path.Combine(package, "install.sh"), [], new() { ["SSH_KEY"] = key, ["PLAYBOOK"] = "reset.yml" });

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal(
            $"nerdctl run --rm --name kubespray --network host -v {package}/inventory:/inventory -v {key}:/root/.ssh/id_rsa:ro site:5443/kubespray:v2.26.0 -i /inventory/hosts.yaml --private-key /root/.ssh/id_rsa --become reset.yml\n",
            File.ReadAllText(Log));
    }

    [SkippableFact]
    public void The_kubespray_install_script_stops_when_nerdctl_or_the_ssh_key_is_missing()
    {
        _folder.Write("kubespray/install.sh", KubesprayPackageFiles.InstallScript("site:5443/kubespray:v2.26.0"));
        _folder.Write("kubespray/inventory/hosts.yaml", KubesprayPackageFiles.InventorySample());
        Directory.CreateDirectory(_folder.Combine("bin"));

        var noNerdctl = Bash(_folder.Combine("kubespray", "install.sh"), [], new() { ["SSH_KEY"] = _folder.Combine("none") });
        Recorder(_folder.Combine("bin", "nerdctl"), "nerdctl");
        var noKey = Bash(_folder.Combine("kubespray", "install.sh"), [], new() { ["SSH_KEY"] = _folder.Combine("none") });

        Assert.Equal(1, noNerdctl.ExitCode);
        Assert.Contains("nerdctl is not installed", noNerdctl.Error);
        Assert.Equal(1, noKey.ExitCode);
        Assert.Contains($"no SSH key at {_folder.Combine("none")}", noKey.Error);
        Assert.False(File.Exists(Log));
    }

    [Theory]
    [InlineData("../nerdctl-full.tar.gz")]
    [InlineData("files/$(reboot).tar.gz")]
    [InlineData("files/a b.tar.gz")]
    public void Archive_paths_that_leave_the_package_or_carry_shell_characters_are_refused(string path) =>
        Assert.Throws<BootstrapException>(() => new SiteArchives(path, "bootstrap/nginx.oci.tar", "bootstrap/registry.oci.tar"));

    [Fact]
    public void A_kubespray_image_with_shell_characters_is_refused() =>
        Assert.Throws<BootstrapException>(() => KubesprayPackageFiles.InstallScript("site/kubespray:v1'; reboot; '"));
}
