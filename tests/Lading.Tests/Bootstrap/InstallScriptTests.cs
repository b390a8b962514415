using Lading.Bootstrap;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Bootstrap;

/// <summary>
/// offline-resources' install.sh run by bash with openssl for real and stand-in nerdctl, systemctl and id programs that
/// record what they are asked: the nerdctl path (podman runs for real in <see cref="OfflineSiteTests"/>), systemd units,
/// site.yaml checks, merging, --check and --uninstall.
/// </summary>
public sealed class InstallScriptTests : IDisposable
{
    private readonly TempFolder _folder = new("lading-install");
    private readonly SiteArchives _archives = new("files/github.com/containerd/nerdctl/releases/download/v2.0.3/nerdctl-full-2.0.3-linux-amd64.tar.gz", "images-archives/nginx.oci.tar", "images-archives/registry.oci.tar");

    public void Dispose() => _folder.Dispose();

    private string Log => _folder.Combine("calls.log");

    private string Package => _folder.Combine("package");

    private string Data => _folder.Combine("data");

    private string Root => _folder.Combine("root");

    private string Calls => File.Exists(Log) ? File.ReadAllText(Log) : string.Empty;

    private SiteOptions Site => new SiteOptions("offline.site.test", ["10.20.0.5", "127.0.0.1"], filesPort: 8081, registryPort: 5443) { DataDir = Data, Runtime = SiteRuntime.Nerdctl };

    /// <summary>A program that appends its name and arguments to the log and succeeds.</summary>
    private void Recorder(string path, string name, string extra = "") =>
        Executable(path, $"#!/bin/bash\nprintf '%s\\n' \"{name} $*\" >> \"$CALLS\"\n{extra}");

    private static void Executable(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private ShellResult Bash(string script, string[] arguments, Dictionary<string, string>? environment = null)
    {
        var bash = Requires.Tool("bash", "bash");
        Requires.Tool("openssl", "openssl");
        var env = new Dictionary<string, string>
        {
            ["PATH"] = $"{_folder.Combine("bin")}:/usr/bin:/bin",
            ["CALLS"] = Log,
            ["HOME"] = _folder.Combine("home"),
            ["DESTDIR"] = Root,
            ["SITE_WAIT_SECONDS"] = "0",
        };
        foreach (var (key, value) in environment ?? [])
        {
            env[key] = value;
        }

        return Shell.Run(bash, [script, .. arguments], environment: env, timeout: TimeSpan.FromMinutes(1));
    }

    /// <summary>A package folder: the two archives, a file, a repository and a registry tree; site.yaml for <see cref="Site"/>; root as far as id says.</summary>
    private string SitePackage(SiteOptions? site = null, bool systemd = true)
    {
        site ??= Site;
        foreach (var file in new[] { _archives.NginxImage, _archives.RegistryImage, "files/dl.k8s.io/release/v1.31.2/bin/linux/amd64/kubectl", "repos/debian-12/amd64/Packages", "images/registry/docker/registry/v2/repositories/library/pause/_manifests/tags/3.9/current/link" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(Package, file))!);
            File.WriteAllText(Path.Combine(Package, file), file);
        }

        File.WriteAllText(Path.Combine(Package, "site.yaml"), site.ToYaml());
        File.WriteAllText(Path.Combine(Package, "install.sh"), SiteInstallScript.Render(site with { ImagesFolder = "images/registry" }, _archives));
        Executable(_folder.Combine("bin", "id"), "#!/bin/bash\necho 0\n");
        Recorder(_folder.Combine("bin", "systemctl"), "systemctl", systemd ? string.Empty : "[ \"$1\" != show-environment ]\n");
        return Path.Combine(Package, "install.sh");
    }

    [SkippableFact]
    public void Every_site_script_is_valid_bash_and_passes_shellcheck()
    {
        var scripts = new[]
        {
            _folder.Write("site.sh", SiteInstallScript.Render(Site, _archives)),
            _folder.Write("kubespray.sh", KubesprayPackageFiles.InstallScript("v2.26.0")),
            _folder.Write("load.sh", KubesprayPackageFiles.LoadScript()),
        };

        ShellScripts.AssertSound(scripts);
    }

    [SkippableFact]
    public void With_nerdctl_and_systemd_the_site_is_two_units_running_the_loaded_images_over_the_merged_data()
    {
        var script = SitePackage();
        Recorder(_folder.Combine("bin", "nerdctl"), "nerdctl");

        var result = Bash(script, []);

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal(
            """
            nerdctl load -i images-archives/nginx.oci.tar
            nerdctl image inspect docker.io/library/nginx:1.27-alpine
            nerdctl load -i images-archives/registry.oci.tar
            nerdctl image inspect docker.io/library/registry:2.8.3
            systemctl show-environment
            systemctl daemon-reload
            systemctl enable offline-resources-files.service
            systemctl restart offline-resources-files.service
            systemctl enable offline-resources-registry.service
            systemctl restart offline-resources-registry.service

            """,
            Calls);
        var nerdctl = _folder.Combine("bin", "nerdctl");
        Assert.Equal(
            $"""
            # Written by install.sh of offline-resources; install.sh --uninstall removes it.
            [Unit]
            Description=offline-resources files: nginx serving files and OS repositories over HTTPS
            Wants=network-online.target
            After=network-online.target
            Requires=containerd.service
            After=containerd.service

            [Service]
            ExecStartPre=-{nerdctl} rm -f offline-resources-files
            ExecStart={nerdctl} run --rm --pull=never --name offline-resources-files -p 8081:8081 -v {Data}/files:/usr/share/nginx/html/files:ro -v {Data}/repos:/usr/share/nginx/html/repos:ro -v {Data}/config/nginx.conf:/etc/nginx/conf.d/default.conf:ro -v {Data}/tls/server.pem:/etc/nginx/tls/server.pem:ro -v {Data}/tls/server-key.pem:/etc/nginx/tls/server-key.pem:ro docker.io/library/nginx:1.27-alpine
            ExecStop={nerdctl} stop offline-resources-files
            Restart=always
            RestartSec=5
            TimeoutStartSec=300

            [Install]
            WantedBy=multi-user.target

            """,
            File.ReadAllText(Path.Combine(Root, "etc/systemd/system/offline-resources-files.service")));
        Assert.Contains(
            $"ExecStart={nerdctl} run --rm --pull=never --name offline-resources-registry -p 5443:5443 -v {Data}/registry:/var/lib/registry:ro -v {Data}/config/registry.yml:/etc/docker/registry/config.yml:ro -v {Data}/tls/server.pem:/etc/docker/registry/tls/server.pem:ro -v {Data}/tls/server-key.pem:/etc/docker/registry/tls/server-key.pem:ro docker.io/library/registry:2.8.3\n",
            File.ReadAllText(Path.Combine(Root, "etc/systemd/system/offline-resources-registry.service")));
        Assert.Equal("files/dl.k8s.io/release/v1.31.2/bin/linux/amd64/kubectl", File.ReadAllText(Path.Combine(Data, "files/dl.k8s.io/release/v1.31.2/bin/linux/amd64/kubectl")));
        Assert.Equal(SiteServices.NginxConfig("0.0.0.0:8081"), File.ReadAllText(Path.Combine(Data, "config/nginx.conf")));
        Assert.Equal(SiteServices.RegistryConfig("0.0.0.0:5443"), File.ReadAllText(Path.Combine(Data, "config/registry.yml")));
        Assert.Equal(
            $"""
            # The offline-resources site of this host, written by install.sh; the Kubespray package's load.sh reads it.
            SITE_HOSTNAME='offline.site.test'
            SITE_ADDRESSES='10.20.0.5 127.0.0.1'
            SITE_REGISTRY='offline.site.test:5443'
            SITE_FILES_URL='https://offline.site.test:8081/files'
            SITE_REPOS_URL='https://offline.site.test:8081/repos'
            SITE_DATA_DIR='{Data}'
            SITE_CA='{Data}/tls/ca.pem'
            SITE_RUNTIME='nerdctl'

            """,
            File.ReadAllText(Path.Combine(Root, "etc/offline-resources/site.env")));
        Assert.Equal(File.ReadAllText(Path.Combine(Data, "tls/ca.pem")), File.ReadAllText(Path.Combine(Root, "etc/containerd/certs.d/offline.site.test:5443/ca.crt")));
        Assert.Contains("  registry: offline.site.test:5443\n", result.Output);
    }

    [SkippableFact]
    public void The_certificate_names_the_host_and_every_address_and_a_second_run_keeps_the_ca_and_the_certificate()
    {
        var script = SitePackage();
        Recorder(_folder.Combine("bin", "nerdctl"), "nerdctl");
        var openssl = Requires.Tool("openssl", "openssl");

        var first = Bash(script, []);
        var ca = File.ReadAllText(Path.Combine(Data, "tls/ca.pem"));
        var certificate = File.ReadAllText(Path.Combine(Data, "tls/server.pem"));
        var second = Bash(script, []);

        Assert.True(first.ExitCode == 0 && second.ExitCode == 0, first.All + second.All);
        var verify = Shell.Run(openssl, ["verify", "-CAfile", Path.Combine(Data, "tls/ca.pem"), "-purpose", "sslserver", Path.Combine(Data, "tls/server.pem")]);
        Assert.Equal($"{Data}/tls/server.pem: OK\n", verify.Output);
        var text = Shell.Run(openssl, ["x509", "-in", Path.Combine(Data, "tls/server.pem"), "-noout", "-ext", "subjectAltName"]).Output;
        Assert.Contains("DNS:offline.site.test, IP Address:10.20.0.5, IP Address:127.0.0.1", text);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Data, "tls/server-key.pem")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Data, "tls/ca-key.pem")));
        Assert.Equal(ca, File.ReadAllText(Path.Combine(Data, "tls/ca.pem")));
        Assert.Equal(certificate, File.ReadAllText(Path.Combine(Data, "tls/server.pem")));
        Assert.Contains("Data: 0 file(s) added", second.Output);
        Assert.DoesNotContain("TLS: making", second.Output);
    }

    [SkippableFact]
    public void A_new_address_gets_a_new_certificate_from_the_same_ca()
    {
        var script = SitePackage();
        Recorder(_folder.Combine("bin", "nerdctl"), "nerdctl");
        Assert.Equal(0, Bash(script, []).ExitCode);
        var ca = File.ReadAllText(Path.Combine(Data, "tls/ca.pem"));
        File.WriteAllText(Path.Combine(Package, "site.yaml"), new SiteOptions("offline.site.test", ["10.20.0.9"], filesPort: 8081, registryPort: 5443) { DataDir = Data, Runtime = SiteRuntime.Nerdctl }.ToYaml());

        var result = Bash(script, []);

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("TLS: making the site certificate for DNS:offline.site.test,IP:10.20.0.9", result.Output);
        Assert.Equal(ca, File.ReadAllText(Path.Combine(Data, "tls/ca.pem")));
    }

    [SkippableFact]
    public void Without_nerdctl_it_installs_nerdctl_full_from_the_package_and_starts_containerd()
    {
        var script = SitePackage();
        Recorder(_folder.Combine("nerdctl-full", "bin", "nerdctl"), "nerdctl");
        Directory.CreateDirectory(Path.Combine(Package, Path.GetDirectoryName(_archives.NerdctlFull!)!));
        var tar = Shell.Run(Requires.Tool("tar", "tar"), ["-czf", Path.Combine(Package, _archives.NerdctlFull!), "-C", _folder.Combine("nerdctl-full"), "bin"]);
        Assert.True(tar.ExitCode == 0, tar.All);
        var prefix = _folder.Combine("prefix");

        var result = Bash(script, [], new() { ["PREFIX"] = prefix });

        Assert.True(result.ExitCode == 0, result.All);
        Assert.StartsWith("systemctl show-environment\nsystemctl daemon-reload\nsystemctl enable --now containerd\nnerdctl load -i images-archives/nginx.oci.tar\n", Calls);
        Assert.Contains($"ExecStart={prefix}/bin/nerdctl run --rm", File.ReadAllText(Path.Combine(Root, "etc/systemd/system/offline-resources-files.service")));
    }

    [SkippableFact]
    public void Without_systemd_the_containers_are_started_directly_restarting_always()
    {
        var script = SitePackage(systemd: false);
        Recorder(_folder.Combine("bin", "nerdctl"), "nerdctl");

        var result = Bash(script, []);

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("systemd is not running here: the containers are started directly, restarting always", result.Output);
        Assert.Contains(
            $"""
            systemctl show-environment
            nerdctl rm -f offline-resources-files
            nerdctl run -d --restart=always --pull=never --name offline-resources-files -p 8081:8081 -v {Data}/files:/usr/share/nginx/html/files:ro
            """,
            Calls);
        Assert.Contains("nerdctl rm -f offline-resources-registry\nnerdctl run -d --restart=always --pull=never --name offline-resources-registry -p 5443:5443 ", Calls);
        Assert.True(File.Exists(Path.Combine(Root, "etc/systemd/system/offline-resources-files.service")));
    }

    [SkippableFact]
    public void Uninstall_stops_and_removes_the_services_and_keeps_the_data()
    {
        var script = SitePackage();
        Recorder(_folder.Combine("bin", "nerdctl"), "nerdctl");
        Assert.Equal(0, Bash(script, []).ExitCode);
        File.Delete(Log);

        var result = Bash(script, ["--uninstall"]);

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal(
            """
            systemctl show-environment
            systemctl disable --now offline-resources-files.service
            nerdctl rm -f offline-resources-files
            systemctl disable --now offline-resources-registry.service
            nerdctl rm -f offline-resources-registry
            systemctl daemon-reload

            """,
            Calls);
        Assert.False(File.Exists(Path.Combine(Root, "etc/systemd/system/offline-resources-files.service")));
        Assert.False(File.Exists(Path.Combine(Root, "etc/offline-resources/site.env")));
        Assert.True(File.Exists(Path.Combine(Data, "files/dl.k8s.io/release/v1.31.2/bin/linux/amd64/kubectl")));
        Assert.True(File.Exists(Path.Combine(Data, "tls/ca.pem")));
        Assert.Contains($"the data stays in {Data}", result.Output);
    }

    [SkippableFact]
    public void A_bad_site_yaml_stops_install_before_anything_changes_naming_each_key()
    {
        var script = SitePackage();
        Recorder(_folder.Combine("bin", "nerdctl"), "nerdctl");
        File.WriteAllText(Path.Combine(Package, "site.yaml"), "# no host name\naddresses: [10.0.0.300]\nfilesPort: 5000\nregistryPort: 5000\ndataDir: " + Data + "\n");

        var result = Bash(script, []);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            $"""
            {Package}/site.yaml: 3 problem(s), nothing was changed:
              hostname: missing; it is the DNS name nodes reach the site by
              addresses: '10.0.0.300' is not an IP address
              registryPort: nginx and the registry cannot both listen on 5000

            """,
            result.Error);
        Assert.Equal(string.Empty, Calls);
        Assert.False(Directory.Exists(Data));
        Assert.False(Directory.Exists(Root));
    }

    [SkippableTheory]
    [InlineData("hostname: offline_site\n")]
    [InlineData("hostname: a.test\naddresses: [10.0.0.5, fd00::1, 10.1]\n")]
    [InlineData("hostname: a.test\naddresses:\n  - 10.0.0.5\n  - 999.0.0.1\nbindAddress: all\n")]
    [InlineData("hostname: a.test\nfilesPort: 0\nregistryPort: port\n")]
    [InlineData("hostname: a.test\ndataDir: /srv/../etc\nruntime: docker\n")]
    [InlineData("hostname: a.test\ndataDir: /srv/offline dir\n")]
    [InlineData("hostname: a.test\naddresses: 10.0.0.5\ncolour: blue\n")]
    public void Install_sh_and_the_build_refuse_the_same_site_yaml_for_the_same_keys(string yaml)
    {
        var script = SitePackage();
        Recorder(_folder.Combine("bin", "nerdctl"), "nerdctl");
        File.WriteAllText(Path.Combine(Package, "site.yaml"), yaml);

        var result = Bash(script, ["--check"]);
        var error = Assert.Throws<BootstrapException>(() => SiteOptions.Parse(yaml, "site.yaml"));

        Assert.Equal(2, result.ExitCode);
        static IEnumerable<string> Keys(string text) =>
            text.Split('\n').Where(l => l.StartsWith("  ", StringComparison.Ordinal)).Select(l => l.Trim()[..l.Trim().IndexOf(':')]).Order(StringComparer.Ordinal);
        Assert.Equal(Keys(error.Message.Replace("\r\n", "\n", StringComparison.Ordinal)), Keys(result.Error));
    }

    [SkippableFact]
    public void Check_says_what_the_site_would_be_and_changes_nothing()
    {
        var script = SitePackage();
        Recorder(_folder.Combine("bin", "nerdctl"), "nerdctl");

        var result = Bash(script, ["--check"]);

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal($"{Package}/site.yaml is valid: offline.site.test (10.20.0.5 127.0.0.1) would serve https://offline.site.test:8081/files, https://offline.site.test:8081/repos and offline.site.test:5443 from {Data} with nerdctl; nothing was changed.\n", result.Output);
        Assert.Equal(string.Empty, Calls);
        Assert.False(Directory.Exists(Data));
    }

    [SkippableFact]
    public void A_file_of_the_site_with_other_content_stops_the_merge_before_anything_is_added()
    {
        var script = SitePackage();
        Recorder(_folder.Combine("bin", "nerdctl"), "nerdctl");
        Directory.CreateDirectory(Path.Combine(Data, "repos/debian-12/amd64"));
        File.WriteAllText(Path.Combine(Data, "repos/debian-12/amd64/Packages"), "another repository");

        var result = Bash(script, []);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"install.sh: 1 file(s) of the site differ from this package; nothing was merged:\n  {Data}/repos/debian-12/amd64/Packages\n", result.Error);
        Assert.Equal("another repository", File.ReadAllText(Path.Combine(Data, "repos/debian-12/amd64/Packages")));
        Assert.False(File.Exists(Path.Combine(Data, "files/dl.k8s.io/release/v1.31.2/bin/linux/amd64/kubectl")));
        Assert.Equal(string.Empty, Calls);
    }

    [SkippableFact]
    public void The_install_script_names_every_missing_archive_and_changes_nothing()
    {
        var script = SitePackage();
        Recorder(_folder.Combine("bin", "nerdctl"), "nerdctl");
        File.Delete(Path.Combine(Package, _archives.RegistryImage));

        var result = Bash(script, []);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("missing from the package: images-archives/registry.oci.tar\n", result.Error);
        Assert.Equal(string.Empty, Calls);
        Assert.False(Directory.Exists(Data));
    }

    [SkippableFact]
    public void The_install_script_refuses_to_run_without_root()
    {
        var script = SitePackage();
        Executable(_folder.Combine("bin", "id"), "#!/bin/bash\necho 1000\n");

        var result = Bash(script, []);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("must run as root", result.Error);
        Assert.Equal(string.Empty, Calls);
    }

    [SkippableFact]
    public void Without_podman_nerdctl_or_nerdctl_full_the_runtime_is_named_as_the_problem()
    {
        var script = SitePackage(Site with { Runtime = SiteRuntime.Auto });
        File.WriteAllText(script, SiteInstallScript.Render(Site with { ImagesFolder = "images/registry" }, new SiteArchives(null, _archives.NginxImage, _archives.RegistryImage)));
        // Only what the script needs before it looks for a runtime: this machine's podman must stay out of sight.
        foreach (var tool in new[] { "sed", "dirname" })
        {
            File.CreateSymbolicLink(_folder.Combine("bin", tool), Requires.Tool(tool, "coreutils"));
        }

        var result = Bash(script, [], new() { ["PATH"] = _folder.Combine("bin"), ["PREFIX"] = _folder.Combine("prefix") });

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("install.sh: runtime: neither podman nor nerdctl is installed, and this package carries no nerdctl-full to install\n", result.Error);
    }

    [Theory]
    [InlineData("../nerdctl-full.tar.gz")]
    [InlineData("files/$(reboot).tar.gz")]
    [InlineData("files/a b.tar.gz")]
    public void Archive_paths_that_leave_the_package_or_carry_shell_characters_are_refused(string path) =>
        Assert.Throws<BootstrapException>(() => new SiteArchives(path, "bootstrap/nginx.oci.tar", "bootstrap/registry.oci.tar"));
}
