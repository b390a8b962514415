using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Lading.Tools.Docker;

/// <summary>One `docker buildx build`: the Dockerfile, the platform, build arguments and where the result goes.</summary>
public sealed class DockerBuildxSettings : ToolSettings
{
    public FilePath? File { get; set; }

    /// <summary>linux/amd64, linux/arm64; another architecture than the builder's needs QEMU binfmt on it.</summary>
    public string? Platform { get; set; }

    public IDictionary<string, string> BuildArgs { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The final stage's files are written here (type=local) instead of becoming an image.</summary>
    public DirectoryPath? OutputDirectory { get; set; }

    /// <summary>Image name for builds that are kept as images (and pushed by the caller).</summary>
    public string? Tag { get; set; }

    /// <summary>Always ask the registry for a newer base image.</summary>
    public bool Pull { get; set; }

    public bool NoCache { get; set; }

    /// <summary>Push the tagged image to its registry when built (instead of a local output).</summary>
    public bool Push { get; set; }
}
