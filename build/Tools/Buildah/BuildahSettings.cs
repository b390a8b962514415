using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Lading.Tools.Buildah;

/// <summary>
/// buildah with its own storage when asked (a build machine without a daemon, or a test, keeps images under a
/// folder of its own), and one `buildah bud`'s Dockerfile, platform, build arguments and output.
/// </summary>
public sealed class BuildahSettings : ToolSettings
{
    /// <summary>Image storage (--root); the system's when null.</summary>
    public DirectoryPath? StorageRoot { get; set; }

    /// <summary>Run state (--runroot); the system's when null.</summary>
    public DirectoryPath? RunRoot { get; set; }

    /// <summary>vfs works everywhere, overlay needs kernel support; buildah's default when null.</summary>
    public string? StorageDriver { get; set; }

    /// <summary>How RUN steps are isolated: oci, rootless or chroot (chroot needs no runtime, fits containers and CI).</summary>
    public string? Isolation { get; set; }

    public FilePath? File { get; set; }

    public string? Platform { get; set; }

    public IDictionary<string, string> BuildArgs { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The final stage's files are written here (type=local) instead of becoming an image.</summary>
    public DirectoryPath? OutputDirectory { get; set; }

    public string? Tag { get; set; }

    /// <summary>always, missing, never (buildah's --pull); buildah's default when null.</summary>
    public string? Pull { get; set; }

    /// <summary>Keep intermediate layers, so a rebuild with the same steps is quick.</summary>
    public bool Layers { get; set; } = true;

    /// <summary>Run every step again, ignoring cached layers (a repository cached from an earlier build keeps its older packages).</summary>
    public bool NoCache { get; set; }
}
