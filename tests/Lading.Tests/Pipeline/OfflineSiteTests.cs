using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Lading.Bootstrap;
using Lading.Kubespray;
using Lading.OsRepos;
using Lading.Tests.Fixtures;
using Lading.Tests.Kubespray;
using Lading.Tools.Apt;

namespace Lading.Tests.Pipeline;

/// <summary>
/// The offline site for real (see <see cref="OfflineSiteWorld"/>): installed by its install.sh with podman, the
/// Kubespray package merged into it by load.sh, and then everything a node and Kubespray pull comes from it over HTTPS
/// with the site's own CA — apt's packages, Kubespray's files and images by the names its own lists give them,
/// containerd's pulls by upstream names through the mirrors the node playbook renders.
/// </summary>
public sealed class OfflineSiteTests(OfflineSiteWorld world) : IClassFixture<OfflineSiteWorld>, IDisposable
{
    private readonly TempFolder _folder = new("lading-site-test");

    public void Dispose() => _folder.Dispose();

    private HttpClient TrustingTheSite()
    {
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(world.Ca));
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, chain, errors) =>
            {
                chain!.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return (errors & System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch) == 0 && chain.Build(certificate!);
            },
        };
        return new HttpClient(handler);
    }

    [SkippableFact]
    public void Apt_resolves_the_sites_os_packages_over_https_with_the_generated_ca_from_the_source_the_node_playbook_writes()
    {
        world.Require();
        var source = world.Rendered["/etc/apt/sources.list.d/offline-resources.list"];
        Assert.Equal($"deb [trusted=yes] https://localhost:{world.FilesPort}/repos/debian-12/amd64 ./\n", source);
        var root = AptRoot.Prepare(_folder.Combine("node"), new OsTarget("debian", "12", "amd64"));
        File.WriteAllText(_folder.Combine("node", "etc/apt/sources.list.d/offline-resources.list"), source);
        var cake = new RealCake();
        var apt = new AptGetRunner(cake.FileSystem, cake.Environment, cake.Runner, cake.Tools);
        var settings = root.Settings();
        settings.Options.Add(new("Acquire::https::CaInfo", world.Ca));

        apt.Update(settings);
        apt.InstallDownloadOnly(["lading-app"], settings);

        Assert.Equal(
            ["lading-app_1.0_all.deb", "lading-base_1.0_all.deb", "lading-conf_1.0_all.deb", "lading-lib_1.1_all.deb"],
            Directory.GetFiles(_folder.Combine("node", "var", "cache", "apt", "archives"), "*.deb").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task Every_file_and_image_kubesprays_own_lists_name_with_the_packaged_config_comes_from_the_site()
    {
        world.Require();
        var generator = new KubesprayListGenerator(new ToolHarness().PlaybookScript());
        var request = new KubesprayListRequest(world.Tree.Root, "amd64", variableFiles: [Path.Combine(world.KubesprayPackage, KubesprayPackageFiles.SiteVariablesFile), Path.Combine(world.KubesprayPackage, KubesprayPackageFiles.ClusterConfigFile)]);

        var lists = generator.Render(request, _folder.Combine("ansible"));

        using var client = TrustingTheSite();
        Assert.Equal(OfflineSiteWorld.KubesprayFiles.Length, lists.Files.Count);
        foreach (var (file, i) in lists.Files.Select((f, i) => (f.Value, i)))
        {
            Assert.StartsWith($"{world.FilesUrl}/127.0.0.1:{world.Upstream.Port}/", file);
            Assert.Equal($"{OfflineSiteWorld.KubesprayFiles[i]} from upstream\n", await client.GetStringAsync(file));
        }

        var certs = _folder.Combine("certs");
        Directory.CreateDirectory(certs);
        File.Copy(world.Ca, Path.Combine(certs, "ca.crt"));
        Assert.Equal(
            [$"{world.Registry}/library/pause:3.9", $"{world.Registry}/flannel/flannel:v0.25.1", $"{world.Registry}/library/kube-apiserver:v1.30.4", $"{world.Registry}/library/kube-proxy:v1.30.4"],
            lists.Images.Select(i => i.Value));
        foreach (var image in lists.Images)
        {
            var manifest = await Skopeo.RunAsync("inspect", "--raw", "--cert-dir", certs, $"docker://{image.Value}");
            Assert.Equal(world.KubesprayImageDigest, Digest.Of(System.Text.Encoding.UTF8.GetBytes(manifest)));
        }
    }

    [SkippableFact]
    public async Task Containerd_pulls_images_by_their_upstream_names_through_the_site_mirror_with_the_site_ca()
    {
        world.Require();
        var hosts = _folder.Combine("certs.d");
        foreach (var (path, text) in world.Rendered.Where(r => r.Key.StartsWith("/etc/containerd/certs.d/", StringComparison.Ordinal)))
        {
            var target = Path.Combine(hosts, path["/etc/containerd/certs.d/".Length..]);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, text);
        }

        using var node = await ContainerdNode.StartAsync();

        // The Kubespray image's registry is stopped: the mirror is the only way. docker.io is not reachable from here at all.
        var flannel = node.Pull($"{world.UpstreamRegistry}/flannel/flannel:v0.25.1", hosts);
        var tiny = node.Pull("docker.io/library/tiny:1.0", hosts);
        var bySiteName = node.Pull($"{world.Registry}/library/pause:3.9", hosts);

        Assert.True(flannel.ExitCode == 0, flannel.All + node.Logs);
        Assert.True(tiny.ExitCode == 0, tiny.All + node.Logs);
        Assert.True(bySiteName.ExitCode == 0, bySiteName.All + node.Logs);
        var listed = node.Ctr("images", "list", "--quiet").Output;
        Assert.Contains($"{world.UpstreamRegistry}/flannel/flannel:v0.25.1\n", listed);
        Assert.Contains("docker.io/library/tiny:1.0\n", listed);
        var digests = node.Ctr("images", "list").Output;
        Assert.Contains(world.TinyDigest.ToString(), digests);
        Assert.Contains(world.KubesprayImageDigest.ToString(), digests);
    }

    [SkippableFact]
    public void The_node_playbook_writes_the_site_name_its_ca_the_apt_source_and_a_mirror_for_the_site_and_each_registry()
    {
        world.Require();
        var registries = new[] { world.Registry, world.UpstreamRegistry, "docker.io", "gcr.io", "ghcr.io", "quay.io", "registry.k8s.io" };

        Assert.Equal(
            new[] { "/etc/apt/sources.list.d/offline-resources.list", "/etc/hosts", "/usr/local/share/ca-certificates/offline-resources-ca.crt", world.NodeCa }
                .Concat(registries.Select(r => $"/etc/containerd/certs.d/{r}/hosts.toml")).Order(StringComparer.Ordinal),
            world.Rendered.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(File.ReadAllText(world.Ca), world.Rendered[world.NodeCa]);
        Assert.Equal(File.ReadAllText(world.Ca), world.Rendered["/usr/local/share/ca-certificates/offline-resources-ca.crt"]);
        Assert.EndsWith("\n127.0.0.1 localhost # offline-resources site\n", world.Rendered["/etc/hosts"]);
        Assert.Equal(
            $"""
            server = "https://docker.io"
            [host."https://{world.Registry}"]
              capabilities = ["pull", "resolve"]
              skip_verify = false
              override_path = false
              ca = ["{world.NodeCa}"]

            """,
            world.Rendered["/etc/containerd/certs.d/docker.io/hosts.toml"]);
        Assert.StartsWith($"server = \"https://{world.Registry}\"\n[host.\"https://{world.Registry}\"]\n", world.Rendered[$"/etc/containerd/certs.d/{world.Registry}/hosts.toml"]);
    }

    [SkippableFact]
    public void The_kubespray_package_config_names_what_the_proof_found_for_this_site()
    {
        world.Require();
        var config = File.ReadAllText(Path.Combine(world.KubesprayPackage, KubesprayPackageFiles.ClusterConfigFile));

        // The tree's images are one-part names of a registry other than Docker Hub, stored under library/, and its files
        // come from a loopback host instead of dl.k8s.io and github.com.
        Assert.Contains("kube_image_repo: \"{{ registry_host }}/library\"\n", config);
        Assert.Contains($"dl_k8s_io_url: \"{{{{ files_repo }}}}/127.0.0.1:{world.Upstream.Port}\"\n", config);
        Assert.Contains($"github_url: \"{{{{ files_repo }}}}/127.0.0.1:{world.Upstream.Port}\"\n", config);
        Assert.Contains("docker_image_repo: \"{{ registry_host }}\"\n", config);
        Assert.Equal(
            KubesprayClusterConfig.SiteVariables("localhost", "\"127.0.0.1\"", world.Registry, world.FilesUrl, $"https://localhost:{world.FilesPort}/repos", "\"debian-12/amd64\""),
            File.ReadAllText(Path.Combine(world.KubesprayPackage, KubesprayPackageFiles.SiteVariablesFile)));
    }

    [SkippableFact]
    public void Record_system_info_applies_the_configmap_with_the_site_its_ca_and_the_api_server()
    {
        world.Require();
        var bin = _folder.Combine("bin");
        var applied = _folder.Combine("applied.json");
        _folder.Write("bin/kubectl", $"#!/bin/sh\necho \"$*\" > '{_folder.Combine("arguments")}'\ncat > '{applied}'\necho 'configmap/system-info created'\n");
        File.SetUnixFileMode(Path.Combine(bin, "kubectl"), (UnixFileMode)0b111_101_101);
        var variables = _folder.Write("vars.yml", $"bin_dir: \"{bin}\"\noffline_site_kubeconfig: /etc/kubernetes/admin.conf\nkube_version: 1.30.4\nip: 10.20.0.11\n");

        var result = world.Playbook(NodePlaybooks.RecordSystemInfo, check: false, variables);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal("--kubeconfig /etc/kubernetes/admin.conf apply --filename -\n", File.ReadAllText(_folder.Combine("arguments")));
        var configMap = JsonNode.Parse(File.ReadAllText(applied))!;
        Assert.Equal("system-info", configMap["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("kube-system", configMap["metadata"]!["namespace"]!.GetValue<string>());
        var data = configMap["data"]!;
        Assert.Equal(world.Registry, data["registry"]!.GetValue<string>());
        Assert.Equal(File.ReadAllText(world.Ca), data["registryCA"]!.GetValue<string>());
        Assert.Equal(world.FilesUrl, data["filesUrl"]!.GetValue<string>());
        Assert.Equal("10.20.0.11:6443", data["apiServer"]!.GetValue<string>());
        Assert.Equal("1.30.4", data["kubeVersion"]!.GetValue<string>());
        Assert.Equal("v2.25.0", data["kubesprayPackage"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task The_site_runs_as_podman_containers_the_units_would_run_and_install_again_and_uninstall_keep_the_data()
    {
        world.Require();
        var unit = File.ReadAllText(Path.Combine(world.DestDir, "etc/systemd/system/offline-resources-registry.service"));
        var podman = world.Podman.Podman;
        Assert.Contains($"ExecStart={podman} run --rm --pull=never --name offline-resources-registry -p 127.0.0.1:{world.RegistryPort}:{world.RegistryPort} -v {world.Data}/registry:/var/lib/registry:ro,z -v {world.Data}/config/registry.yml:/etc/docker/registry/config.yml:ro,z -v {world.Data}/tls/server.pem:/etc/docker/registry/tls/server.pem:ro,z -v {world.Data}/tls/server-key.pem:/etc/docker/registry/tls/server-key.pem:ro,z docker.io/lading/site-registry:test\n", unit);
        Assert.DoesNotContain("containerd.service", unit);
        Assert.Contains("systemd is not running here: the containers are started directly, restarting always", world.InstallOutput);
        Assert.Equal(["offline-resources-files", "offline-resources-registry"], Running());
        var ca = File.ReadAllText(world.Ca);

        var again = world.Install();

        Assert.True(again.ExitCode == 0, again.All);
        Assert.Contains("Data: 0 file(s) added", again.Output);
        Assert.Equal(ca, File.ReadAllText(world.Ca));

        var uninstall = world.Install("--uninstall");

        Assert.True(uninstall.ExitCode == 0, uninstall.All);
        Assert.Empty(Running());
        Assert.False(File.Exists(Path.Combine(world.DestDir, "etc/systemd/system/offline-resources-files.service")));
        Assert.True(File.Exists(Path.Combine(world.Data, "registry/docker/registry/v2/repositories/library/tiny/_manifests/tags/1.0/current/link")));
        Assert.Equal(ca, File.ReadAllText(world.Ca));

        var back = world.Install();

        Assert.True(back.ExitCode == 0, back.All);
        using var client = TrustingTheSite();
        using var manifest = new HttpRequestMessage(HttpMethod.Head, $"https://localhost:{world.RegistryPort}/v2/library/tiny/manifests/1.0");
        manifest.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(manifest)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"https://localhost:{world.FilesPort}/site.yaml")).StatusCode);
        var push = await client.PostAsync($"https://localhost:{world.RegistryPort}/v2/library/evil/blobs/uploads/", new ByteArrayContent([]));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, push.StatusCode);
    }

    private IReadOnlyList<string> Running() =>
        world.Podman.Run("ps", "--format", "{{.Names}}").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
}
