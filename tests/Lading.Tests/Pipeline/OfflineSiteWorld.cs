using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Cake.Core;
using Cake.Core.IO;
using Path = System.IO.Path;
using Lading.Bootstrap;
using Lading.Images;
using Lading.Images.Registry;
using Lading.Tests.Fixtures;
using Lading.Tests.Kubespray;
using Lading.Tests.OsRepos;
using Lading.Tests.Registry;
using Lading.Tools.Ansible;

namespace Lading.Tests.Pipeline;

/// <summary>
/// An offline site as a customer gets it, built once for <see cref="OfflineSiteTests"/>: nginx and registry images made
/// FROM scratch out of Debian's nginx and docker-registry (buildah) and given to the build as the site images; an
/// offline-resources package built by ./build.sh and installed by its install.sh with podman on loopback ports; a
/// Kubespray package built from a Kubespray-shaped tree and merged into the site by its load.sh, its upstream registry
/// then stopped so that only the site serves; and what the node playbook would write on this machine (--check --diff).
/// </summary>
public sealed class OfflineSiteWorld : IAsyncLifetime
{
    public static readonly string[] KubesprayImages = ["pause:3.9", "flannel/flannel:v0.25.1", "kube-apiserver:v1.30.4", "kube-proxy:v1.30.4"];

    public static readonly string[] KubesprayFiles = ["release/v1.30.4/bin/linux/amd64/kubelet", "release/v1.30.4/bin/linux/amd64/kubectl", "containernetworking/plugins/releases/download/v1.4.0/cni-plugins-linux-amd64-v1.4.0.tgz"];

    private readonly TempFolder _folder = new("lading-site-world");
    private readonly FakeDebMirror _mirror = new();
    private readonly List<IDisposable> _owned = [];
    private ExceptionDispatchInfo? _failure;

    public PodmanSandbox Podman { get; private set; } = null!;

    public KubesprayShapedTree Tree { get; private set; } = null!;

    public NginxServer Upstream => _mirror.Nginx;

    /// <summary>Where the Kubespray images came from: stopped once the Kubespray package is built.</summary>
    public string UpstreamRegistry { get; private set; } = string.Empty;

    public Digest KubesprayImageDigest { get; private set; }

    public Digest TinyDigest { get; private set; }

    public string SitePackage { get; private set; } = string.Empty;

    public string KubesprayPackage { get; private set; } = string.Empty;

    public string Data => _folder.Combine("data");

    public string DestDir => _folder.Combine("root");

    public string Ca => Path.Combine(Data, "tls", "ca.pem");

    public int FilesPort { get; } = FreePort.Next();

    public int RegistryPort { get; } = FreePort.Next();

    public string Registry => $"localhost:{RegistryPort}";

    public string FilesUrl => $"https://localhost:{FilesPort}/files";

    /// <summary>Where the node playbook's files are put for the tests: the CA the mirrors name, and containerd's hosts folder.</summary>
    public string Node => _folder.Combine("node");

    public string NodeCa => Path.Combine(Node, "ca.pem");

    /// <summary>The files prepare-nodes.yml would write on this machine, by path.</summary>
    public IReadOnlyDictionary<string, string> Rendered { get; private set; } = new Dictionary<string, string>();

    public string InstallOutput { get; private set; } = string.Empty;

    public TimeSpan Took { get; private set; }

    /// <summary>Skips the test (fails it under CI) when the world could not be made, with the reason.</summary>
    public void Require() => _failure?.Throw();

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await BuildAsync();
        }
        catch (Exception e)
        {
            _failure = ExceptionDispatchInfo.Capture(e);
        }

        Took = clock.Elapsed;
    }

    public async Task DisposeAsync()
    {
        if (Podman is not null && File.Exists(Path.Combine(SitePackage, "install.sh")))
        {
            Install("--uninstall");
        }

        foreach (var owned in Enumerable.Reverse(_owned))
        {
            owned.Dispose();
        }

        await _mirror.DisposeAsync();
        _folder.Dispose();
    }

    /// <summary>Runs the offline-resources install.sh as a site's root would, with podman's test settings and no systemd.</summary>
    public ShellResult Install(params string[] arguments)
    {
        var environment = new Dictionary<string, string>(Podman.Environment)
        {
            ["PATH"] = $"{_folder.Combine("bin")}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ["DESTDIR"] = DestDir,
            ["HOME"] = _folder.Combine("home"),
        };
        return Shell.Run(Requires.Tool("bash", "bash"), [Path.Combine(SitePackage, "install.sh"), .. arguments], environment: environment, timeout: TimeSpan.FromMinutes(5));
    }

    /// <summary>Runs a playbook of the Kubespray package with real ansible on this machine (connection local) as node1 of a one-node inventory.</summary>
    public ShellResult Playbook(string playbook, bool check, params string[] variableFiles)
    {
        var cake = new RealCake();
        var settings = new AnsiblePlaybookSettings
        {
            AnsibleHome = new DirectoryPath(_folder.Combine("ansible")),
            Inventory = _folder.Combine("inventory", "hosts.yaml"),
        };
        // The minimal callback prints each task's result as JSON; at verbosity 3 with the module's arguments and its diff.
        settings.EnvironmentVariables["ANSIBLE_STDOUT_CALLBACK"] = "minimal";
        settings.EnvironmentVariables["ANSIBLE_VERBOSITY"] = "3";
        settings.ExtraVariableFiles.Add(Path.Combine(KubesprayPackage, KubesprayPackageFiles.SiteVariablesFile));
        foreach (var file in variableFiles)
        {
            settings.ExtraVariableFiles.Add(file);
        }

        var arguments = check ? new[] { "--check", "--diff" } : [];
        try
        {
            var result = new AnsiblePlaybookRunner(cake.FileSystem, cake.Environment, cake.Runner, cake.Tools).Run(new FilePath(Path.Combine(KubesprayPackage, KubesprayPackageFiles.SiteFolder, playbook)), WithArguments(settings, arguments));
            return new ShellResult(0, result.Text, string.Join('\n', result.Errors));
        }
        catch (Lading.Tools.ToolException e)
        {
            return new ShellResult(e.ExitCode, e.Output, string.Empty);
        }
    }

    private async Task BuildAsync()
    {
        Requires.Tool("ansible-playbook", "ansible-core");
        Requires.Tool("skopeo", "skopeo");
        Requires.Tool("openssl", "openssl");
        Podman = new PodmanSandbox();
        _owned.Add(Podman);
        await _mirror.InitializeAsync();

        // The site images: Debian's nginx and docker-registry with their libraries, FROM scratch.
        var source = await DockerRegistry.StartAsync();
        _owned.Add(source);
        var nginx = _folder.Combine("rootfs-nginx");
        RootFs.CopyWithLibraries(Requires.Tool("nginx", "nginx"), nginx);
        foreach (var folder in new[] { "etc/nginx/conf.d", "var/lib/nginx", "var/log/nginx", "run", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(nginx, folder));
        }

        File.Copy("/etc/nginx/mime.types", Path.Combine(nginx, "etc/nginx/mime.types"));
        _folder.Write("rootfs-nginx/etc/nginx/nginx.conf", """
            user root;
            worker_processes 1;
            pid /run/nginx.pid;
            error_log stderr;
            events {
                worker_connections 64;
            }
            http {
                include /etc/nginx/mime.types;
                access_log off;
                include /etc/nginx/conf.d/*.conf;
            }

            """);
        _folder.Write("rootfs-nginx/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
        _folder.Write("rootfs-nginx/etc/group", "root:x:0:\n");

        Podman.BuildAndPush(nginx, ["/usr/sbin/nginx", "-g", "daemon off;"], [], $"{source.Host}/lading/site-nginx:test");
        var registry = _folder.Combine("rootfs-registry");
        RootFs.CopyWithLibraries(Requires.Tool("docker-registry", "docker-registry"), registry);
        Directory.CreateDirectory(Path.Combine(registry, "etc/docker/registry"));
        Directory.CreateDirectory(Path.Combine(registry, "var/lib/registry"));
        Podman.BuildAndPush(registry, ["/usr/bin/docker-registry", "serve"], ["/etc/docker/registry/config.yml"], $"{source.Host}/lading/site-registry:test");

        // An image the offline-resources package serves, and the images of the Kubespray tree, from their registries.
        var store = new FolderBlobStore(_folder.Combine("images-source"));
        var images = new FolderImages(store);
        var tiny = await images.DockerImageAsync("amd64", await images.LayerAsync(10_000));
        var kubespray = await images.DockerImageAsync("amd64", await images.LayerAsync(20_000));
        var upstream = await DockerRegistry.StartAsync();
        using (var client = new RegistryClient(PopulatedRegistry.FastOptions()))
        {
            await client.PushImageAsync(new RegistryRepository(source.Host, "library/tiny"), "1.0", tiny.Digest, store, CancellationToken.None);
            foreach (var name in KubesprayImages)
            {
                await client.PushImageAsync(new RegistryRepository(upstream.Host, name[..name.IndexOf(':')]), name[(name.IndexOf(':') + 1)..], kubespray.Digest, store, CancellationToken.None);
            }
        }

        TinyDigest = tiny.Digest;
        KubesprayImageDigest = kubespray.Digest;
        UpstreamRegistry = upstream.Host;
        foreach (var file in KubesprayFiles)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Upstream.PathOf(file))!);
            File.WriteAllText(Upstream.PathOf(file), $"{file} from upstream\n");
        }

        // The offline-resources package, built by Lading, extracted and installed as on a site.
        _folder.Write("offline/images.list", "library/tiny:1.0\n");
        _folder.Write("offline/files.list", $"{Upstream.BaseUri}{KubesprayFiles[0]}\n");
        _folder.Write("offline/os/debian-12.list", "lading-app\n");
        _folder.Write("offline/offline.yaml", $"""
            name: site
            images:
              lists: images.list
            registry:
              source: {source.Host}
            offline:
              files: files.list
              siteHost: localhost
              siteAddresses: [127.0.0.1]
              nginxImage: lading/site-nginx:test
              registryImage: lading/site-registry:test
            os:
              - list: os/debian-12.list
                arch: amd64
                sources:
                  - deb [trusted=yes] {_mirror.Upstream} stable main
            """);
        var cache = _folder.Combine("cache");
        var built = HostHarness.RunLading(_folder.Combine("offline"), null, ["--target=OfflineResources", "--recipe=offline.yaml", "--version=v1", $"--cache={cache}", "--output=out"]);
        Assert.True(built.ExitCode == 0, built.Output);
        await SafeTarExtractor.ExtractFileAsync(_folder.Combine("offline", "out", "site-offline-resources-v1.tar"), _folder.Combine("site"), CancellationToken.None);
        SitePackage = _folder.Combine("site", "site-offline-resources-v1");
        File.WriteAllText(Path.Combine(SitePackage, SiteFiles.SiteConfig), new SiteOptions("localhost", ["127.0.0.1"], FilesPort, RegistryPort)
        {
            BindAddress = "127.0.0.1",
            DataDir = Data,
            Runtime = SiteRuntime.Podman,
        }.ToYaml());
        // No systemd here, as in a container: a systemctl that says so.
        _folder.Write("bin/systemctl", "#!/bin/sh\necho 'System has not been booted with systemd as init system (PID 1).' >&2\nexit 1\n");
        File.SetUnixFileMode(_folder.Combine("bin/systemctl"), (UnixFileMode)0b111_101_101);
        var install = Install();
        Assert.True(install.ExitCode == 0, install.All);
        InstallOutput = install.Output;

        // The Kubespray package: the tree's downloads and images on loopback, the site as it was built for.
        Tree = new KubesprayShapedTree();
        _owned.Add(Tree);
        var defaults = File.ReadAllText(Path.Combine(Tree.Root, "roles/kubespray-defaults/defaults/main/main.yml"));
        Tree.Write("roles/kubespray-defaults/defaults/main/main.yml", defaults.Replace("registry.k8s.io", upstream.Host).Replace("docker_image_repo: docker.io", $"docker_image_repo: {upstream.Host}"));
        var downloads = File.ReadAllText(Path.Combine(Tree.Root, Tree.DownloadVariables));
        Tree.Write(Tree.DownloadVariables, downloads.Replace("https://dl.k8s.io", Upstream.BaseUri.ToString().TrimEnd('/')).Replace("https://github.com", Upstream.BaseUri.ToString().TrimEnd('/')));
        var kubesprayBuild = HostHarness.RunLading(_folder.Path, null, ["--target=Kubespray", $"--kubespray={Tree.Root}", "--name=paas", "--version=v2.25.0", $"--cache={cache}", "--output=kubespray-out", "--site-host=localhost", "--site-addresses=127.0.0.1"]);
        Assert.True(kubesprayBuild.ExitCode == 0, kubesprayBuild.Output);
        await SafeTarExtractor.ExtractFileAsync(_folder.Combine("kubespray-out", "paas-kubespray-v2.25.0.tar"), _folder.Combine("kubespray"), CancellationToken.None);
        KubesprayPackage = _folder.Combine("kubespray", "paas-kubespray-v2.25.0");
        await upstream.DisposeAsync();

        var load = Shell.Run(Requires.Tool("bash", "bash"), [Path.Combine(KubesprayPackage, "load.sh")], environment: new Dictionary<string, string> { ["DESTDIR"] = DestDir, ["PATH"] = "/usr/bin:/bin" });
        Assert.True(load.ExitCode == 0, load.All);

        // What prepare-nodes.yml would write on this machine as a node of the cluster, the CA where the tests keep it.
        _folder.Write("inventory/hosts.yaml", """
            all:
              hosts:
                node1:
                  ansible_connection: local
                  ansible_become: false
              children:
                kube_control_plane:
                  hosts:
                    node1:
                k8s_cluster:
                  hosts:
                    node1:
                etcd:
                  hosts:
                    node1:

            """);
        Directory.CreateDirectory(_folder.Combine("inventory", "group_vars", "all"));
        File.Copy(Path.Combine(KubesprayPackage, KubesprayPackageFiles.ClusterConfigFile), _folder.Combine("inventory", "group_vars", "all", "offline.yml"));
        var node = _folder.Write("node.yml", $"offline_site_node_ca: \"{NodeCa}\"\n");
        var prepared = Playbook(NodePlaybooks.PrepareNodes, check: true, node);
        Assert.True(prepared.ExitCode == 0, prepared.Output);
        Rendered = CheckModeRendering.Read(prepared.Output);
        Directory.CreateDirectory(Node);
        File.WriteAllText(NodeCa, Rendered[NodeCa]);
    }

    private static AnsiblePlaybookSettings WithArguments(AnsiblePlaybookSettings settings, string[] arguments)
    {
        settings.ArgumentCustomization = args =>
        {
            foreach (var argument in arguments)
            {
                args.Append(argument);
            }

            return args;
        };
        return settings;
    }
}
