namespace Lading.Tests.Fixtures;

/// <summary>
/// podman and buildah (Debian's, with runc) set up for this machine in a temp folder and nowhere else: a containers.conf
/// with runc, cgroupfs, host networking, low ulimits and file events (the sandbox lacks CAP_SYS_RESOURCE and has hybrid
/// cgroups), a storage.conf with vfs under the folder. These settings are the tests' only: the product's scripts run
/// podman plainly and a real site needs none of them. Every container of the folder's storage is removed when disposed.
/// </summary>
public sealed class PodmanSandbox : IDisposable
{
    private readonly TempFolder _folder = new("lading-podman");

    public PodmanSandbox()
    {
        Podman = Requires.Tool("podman", "podman");
        Requires.Tool("runc", "runc");
        Buildah = Requires.Tool("buildah", "buildah");
        var containers = _folder.Write("containers.conf", $"""
            [containers]
            netns = "host"
            default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
            log_driver = "k8s-file"

            [engine]
            runtime = "runc"
            cgroup_manager = "cgroupfs"
            events_logger = "file"
            tmp_dir = "{_folder.Combine("tmp")}"

            """);
        var storage = _folder.Write("storage.conf", $"""
            [storage]
            driver = "vfs"
            graphroot = "{_folder.Combine("storage")}"
            runroot = "{_folder.Combine("run")}"

            """);
        Environment = new Dictionary<string, string> { ["CONTAINERS_CONF"] = containers, ["CONTAINERS_STORAGE_CONF"] = storage };
    }

    public string Podman { get; }

    public string Buildah { get; }

    /// <summary>What podman and buildah read their settings from; give it to every process that runs them.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public ShellResult Run(params string[] arguments) => Shell.Run(Podman, arguments, environment: Environment, timeout: TimeSpan.FromMinutes(3));

    public ShellResult RunBuildah(params string[] arguments) => Shell.Run(Buildah, arguments, environment: Environment, timeout: TimeSpan.FromMinutes(3));

    /// <summary>
    /// Builds an image FROM scratch out of a root filesystem folder, with an entrypoint and a command, and pushes it to a
    /// registry on loopback (plain http).
    /// </summary>
    public void BuildAndPush(string rootfs, string[] entrypoint, string[] command, string destination)
    {
        var from = RunBuildah("from", "--quiet", "scratch");
        Assert.True(from.ExitCode == 0, from.All);
        var container = from.Output.Trim();
        var json = (string[] words) => "[" + string.Join(',', words.Select(w => System.Text.Json.JsonSerializer.Serialize(w))) + "]";
        foreach (var step in new[]
                 {
                     new[] { "copy", "--quiet", container, rootfs + "/", "/" },
                     ["config", "--entrypoint", json(entrypoint), "--cmd", json(command), container],
                     ["commit", "--quiet", container, "localhost/lading-build:latest"],
                     ["rm", container],
                     ["push", "--quiet", "--tls-verify=false", "localhost/lading-build:latest", $"docker://{destination}"],
                     ["rmi", "localhost/lading-build:latest"],
                 })
        {
            var result = RunBuildah(step);
            Assert.True(result.ExitCode == 0, $"buildah {string.Join(' ', step)}: {result.All}");
        }
    }

    public void Dispose()
    {
        try
        {
            Run("rm", "--all", "--force");
        }
        finally
        {
            _folder.Dispose();
        }
    }
}
