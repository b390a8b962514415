using Lading.Tools.Buildah;
using Lading.Tools.Docker;

namespace Lading.OsRepos;

public sealed record RpmRepoOptions
{
    /// <summary>The repos/ folder of the package; a target's repository goes to <c>&lt;Repositories&gt;/&lt;distro&gt;-&lt;release&gt;/&lt;arch&gt;</c>.</summary>
    public required string Repositories { get; init; }

    /// <summary>Scratch space: the build context (Dockerfile, .repo file) of each target.</summary>
    public required string Work { get; init; }

    public ContainerBuilder Builder { get; init; } = ContainerBuilder.Buildah;

    /// <summary>Storage, isolation and pull policy for buildah; the build's own fields are filled in per target.</summary>
    public Func<BuildahSettings> Buildah { get; init; } = () => new BuildahSettings();

    public Func<DockerBuildxSettings> Docker { get; init; } = () => new DockerBuildxSettings();
}
