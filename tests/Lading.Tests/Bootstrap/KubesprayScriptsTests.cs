using Lading.Bootstrap;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Bootstrap;

/// <summary>
/// The Kubespray package's load.sh (run for real: it merges into a site's data folder) and install.sh (run against
/// stand-in podman and nerdctl that record how the Kubespray image is run).
/// </summary>
public sealed class KubesprayScriptsTests : IDisposable
{
    private readonly TempFolder _folder = new("lading-kubespray-scripts");

    public void Dispose() => _folder.Dispose();

    private string Log => _folder.Combine("calls.log");

    private string Package => _folder.Combine("package");

    private string Data => _folder.Combine("data");

    private string Root => _folder.Combine("root");

    private string Calls => File.Exists(Log) ? File.ReadAllText(Log) : string.Empty;

    private void Recorder(string name) =>
        _folder.Write($"bin/{name}", $"#!/bin/bash\nprintf '%s\\n' \"{name} $*\" >> \"$CALLS\"\n");

    private ShellResult Bash(string script, string[] arguments, Dictionary<string, string>? environment = null)
    {
        var bash = Requires.Tool("bash", "bash");
        foreach (var file in Directory.Exists(_folder.Combine("bin")) ? Directory.GetFiles(_folder.Combine("bin")) : [])
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var env = new Dictionary<string, string>
        {
            ["PATH"] = $"{_folder.Combine("bin")}:/usr/bin:/bin",
            ["CALLS"] = Log,
            ["HOME"] = _folder.Combine("home"),
            ["DESTDIR"] = Root,
        };
        foreach (var (key, value) in environment ?? [])
        {
            env[key] = value;
        }

        return Shell.Run(bash, [script, .. arguments], environment: env, timeout: TimeSpan.FromMinutes(1));
    }

    /// <summary>A site as install.sh of offline-resources records it, with a data folder that already holds a repository.</summary>
    private void InstalledSite(string runtime = "podman")
    {
        _folder.Write("data/tls/ca.pem", "-----BEGIN CERTIFICATE-----\nsite CA\n-----END CERTIFICATE-----\n");
        _folder.Write("data/repos/rocky-9/amd64/repodata/repomd.xml", "<repomd/>");
        _folder.Write("data/files/get.helm.sh/helm-v3.14.0-linux-amd64.tar.gz", "helm");
        _folder.Write("root/etc/offline-resources/site.env", $"""
            # The offline-resources site of this host, written by install.sh; the Kubespray package's load.sh reads it.
            SITE_HOSTNAME='offline.site.test'
            SITE_ADDRESSES='10.20.0.5 10.20.0.6'
            SITE_REGISTRY='offline.site.test:5443'
            SITE_FILES_URL='https://offline.site.test:8081/files'
            SITE_REPOS_URL='https://offline.site.test:8081/repos'
            SITE_DATA_DIR='{Data}'
            SITE_CA='{Data}/tls/ca.pem'
            SITE_RUNTIME='{runtime}'

            """);
    }

    private string KubesprayPackage()
    {
        KubesprayPackageFiles.WriteTo(Package, new SiteOptions("built.for.test"), "v2.26.0", "v1", [], ["docker.io"]);
        _folder.Write("package/files/dl.k8s.io/release/v1.30.4/bin/linux/amd64/kubelet", "kubelet");
        _folder.Write("package/repos/debian-12/amd64/Packages", "Package: kubelet-deps\n");
        _folder.Write("package/images/registry/docker/registry/v2/blobs/sha256/ab/abcd/data", "blob");
        _folder.Write("package/images/registry/docker/registry/v2/repositories/pause/_manifests/tags/3.9/current/link", "sha256:abcd");
        return Path.Combine(Package, "load.sh");
    }

    [SkippableFact]
    public void Load_merges_files_repositories_and_images_into_the_site_and_writes_the_site_values_for_install()
    {
        InstalledSite();
        var load = KubesprayPackage();

        var result = Bash(load, []);

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal("kubelet", File.ReadAllText(Path.Combine(Data, "files/dl.k8s.io/release/v1.30.4/bin/linux/amd64/kubelet")));
        Assert.Equal("Package: kubelet-deps\n", File.ReadAllText(Path.Combine(Data, "repos/debian-12/amd64/Packages")));
        Assert.Equal("sha256:abcd", File.ReadAllText(Path.Combine(Data, "registry/docker/registry/v2/repositories/pause/_manifests/tags/3.9/current/link")));
        Assert.Equal("helm", File.ReadAllText(Path.Combine(Data, "files/get.helm.sh/helm-v3.14.0-linux-amd64.tar.gz")));
        Assert.Equal(
            KubesprayClusterConfig.SiteVariables("offline.site.test", "\"10.20.0.5\", \"10.20.0.6\"", "offline.site.test:5443", "https://offline.site.test:8081/files", "https://offline.site.test:8081/repos", "\"debian-12/amd64\", \"rocky-9/amd64\""),
            File.ReadAllText(Path.Combine(Package, "site/offline-site.yml")));
        Assert.Equal(File.ReadAllText(Path.Combine(Data, "tls/ca.pem")), File.ReadAllText(Path.Combine(Package, "site/ca.pem")));
        Assert.Contains("load.sh: 4 file(s) added", result.Output);
        Assert.Contains("  offline.site.test:5443/pause:3.9\n", result.Output);
    }

    [SkippableFact]
    public void Loading_twice_adds_nothing_the_second_time()
    {
        InstalledSite();
        var load = KubesprayPackage();

        Assert.Equal(0, Bash(load, []).ExitCode);
        var second = Bash(load, []);

        Assert.True(second.ExitCode == 0, second.All);
        Assert.Contains("load.sh: 0 file(s) added", second.Output);
    }

    [SkippableFact]
    public void A_file_the_site_holds_with_other_content_stops_the_load_before_anything_is_merged()
    {
        InstalledSite();
        var load = KubesprayPackage();
        _folder.Write("data/repos/debian-12/amd64/Packages", "Package: other\n");

        var result = Bash(load, []);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"load.sh: 1 file(s) of the site differ from this package; nothing was merged:\n  {Data}/repos/debian-12/amd64/Packages\n", result.Error);
        Assert.False(File.Exists(Path.Combine(Data, "files/dl.k8s.io/release/v1.30.4/bin/linux/amd64/kubelet")));
        Assert.False(File.Exists(Path.Combine(Package, "site/ca.pem")));
    }

    [SkippableFact]
    public void Load_without_an_installed_site_says_to_install_offline_resources_first()
    {
        var load = KubesprayPackage();

        var result = Bash(load, []);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"load.sh: no offline-resources site recorded at {Root}/etc/offline-resources/site.env: install the offline-resources package first\n", result.Error);
    }

    [SkippableTheory]
    [InlineData("podman", ":z", ":ro,z")]
    [InlineData("nerdctl", "", ":ro")]
    public void Install_prepares_the_nodes_runs_kubespray_and_records_system_info_with_the_site_runtime(string runtime, string writable, string readOnly)
    {
        InstalledSite(runtime);
        Assert.Equal(0, Bash(KubesprayPackage(), []).ExitCode);
        Recorder(runtime);
        var inventory = _folder.Combine("site-inventory");
        _folder.Write("site-inventory/hosts.yaml", KubesprayPackageFiles.InventorySample());
        var key = _folder.Write("keys/id_ed25519", "key");

        var result = Bash(Path.Combine(Package, "install.sh"), [inventory, "--limit", "node2"], new() { ["SSH_KEY"] = key });

        Assert.True(result.ExitCode == 0, result.All);
        var run = $"{runtime} run --rm --name kubespray --network host -v {inventory}:/inventory{writable} -v {key}:/root/.ssh/id_rsa{readOnly} -v {Package}/site:/site{readOnly} offline.site.test:5443/release/kubespray:v2.26.0 -i /inventory/hosts.yaml --private-key /root/.ssh/id_rsa --become -e @/site/offline-site.yml --limit node2";
        Assert.Equal($"{run} /site/prepare-nodes.yml\n{run} cluster.yml\n{run} /site/record-system-info.yml\n", Calls);
    }

    [SkippableFact]
    public void Another_playbook_runs_alone_with_the_packaged_inventory()
    {
        InstalledSite("nerdctl");
        Assert.Equal(0, Bash(KubesprayPackage(), []).ExitCode);
        Recorder("nerdctl");
        var key = _folder.Write("keys/id_rsa", "key");

        var result = Bash(Path.Combine(Package, "install.sh"), [], new() { ["SSH_KEY"] = key, ["PLAYBOOK"] = "reset.yml" });

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal(
            $"nerdctl run --rm --name kubespray --network host -v {Package}/inventory:/inventory -v {key}:/root/.ssh/id_rsa:ro -v {Package}/site:/site:ro offline.site.test:5443/release/kubespray:v2.26.0 -i /inventory/hosts.yaml --private-key /root/.ssh/id_rsa --become -e @/site/offline-site.yml reset.yml\n",
            Calls);
    }

    [SkippableFact]
    public void Install_stops_before_load_without_a_key_or_without_a_runtime()
    {
        KubesprayPackage();
        var key = _folder.Write("keys/id_rsa", "key");
        var beforeLoad = Bash(Path.Combine(Package, "install.sh"), [], new() { ["SSH_KEY"] = key });
        InstalledSite("nerdctl");
        Assert.Equal(0, Bash(Path.Combine(Package, "load.sh"), []).ExitCode);
        var noKey = Bash(Path.Combine(Package, "install.sh"), [], new() { ["SSH_KEY"] = _folder.Combine("none") });
        var noRuntime = Bash(Path.Combine(Package, "install.sh"), [], new() { ["SSH_KEY"] = key, ["RUNTIME"] = "lading-no-such-runtime" });

        Assert.Equal(1, beforeLoad.ExitCode);
        Assert.Contains("run load.sh first", beforeLoad.Error);
        Assert.Equal(1, noKey.ExitCode);
        Assert.Contains($"no SSH key at {_folder.Combine("none")}", noKey.Error);
        Assert.Equal(1, noRuntime.ExitCode);
        Assert.Contains("lading-no-such-runtime is not installed", noRuntime.Error);
        Assert.Equal(string.Empty, Calls);
    }
}
