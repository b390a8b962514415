namespace Lading.Tests.Fixtures;

/// <summary>
/// Debian's containerd as a cluster node's: its own root, state, sockets and config in a temp folder (the native
/// snapshotter, no CRI), so <c>ctr</c> pulls as a node would; stopped when disposed.
/// </summary>
public sealed class ContainerdNode : IDisposable
{
    private readonly TempFolder _folder = new("lading-containerd");
    private readonly BackgroundProcess _process;
    private readonly string _ctr;

    private ContainerdNode(string containerd, string ctr)
    {
        _ctr = ctr;
        var config = _folder.Write("config.toml", $"""
            version = 2
            root = "{_folder.Combine("root")}"
            state = "{_folder.Combine("state")}"
            disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.overlayfs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]

            [grpc]
              address = "{Socket}"

            [ttrpc]
              address = "{Socket}.ttrpc"

            """);
        _process = new BackgroundProcess(containerd, "--config", config);
    }

    public string Socket => _folder.Combine("containerd.sock");

    public string Logs => _process.Output;

    /// <summary>Starts containerd and waits until ctr reaches it; skips (fails under CI) when containerd is not installed.</summary>
    public static async Task<ContainerdNode> StartAsync()
    {
        var node = new ContainerdNode(Requires.Tool("containerd", "containerd"), Requires.Tool("ctr", "containerd"));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(node.Socket) && node.Ctr("version").ExitCode == 0)
            {
                return node;
            }

            await Task.Delay(200);
        }

        var logs = node.Logs;
        node.Dispose();
        throw new TimeoutException($"containerd did not answer on {node.Socket}: {logs}");
    }

    public ShellResult Ctr(params string[] arguments) => Shell.Run(_ctr, ["--address", Socket, .. arguments], timeout: TimeSpan.FromMinutes(2));

    /// <summary>Pulls (and unpacks) an image as a node does, its registries configured by the hosts.toml files under <paramref name="hostsDir"/>.</summary>
    public ShellResult Pull(string reference, string hostsDir) => Ctr("images", "pull", "--snapshotter", "native", "--hosts-dir", hostsDir, reference);

    public void Dispose()
    {
        _process.Dispose();
        _folder.Dispose();
    }
}
