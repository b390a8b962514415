using Lading.Tools.Buildah;
using Lading.Tools.Docker;

namespace Lading.OsRepos;

/// <summary>Where OS repositories are built and with what.</summary>
public sealed record OsRepoOptions
{
    /// <summary>The repos/ folder of the package; a target's repository goes to <c>&lt;Repositories&gt;/&lt;distro&gt;-&lt;release&gt;/&lt;arch&gt;</c>.</summary>
    public required string Repositories { get; init; }

    /// <summary>Kept between builds: downloaded .debs under <c>&lt;Cache&gt;/os/&lt;distro&gt;-&lt;release&gt;/&lt;arch&gt;</c>, fetched again only when missing or damaged.</summary>
    public required string Cache { get; init; }

    /// <summary>Scratch space: the isolated apt root, or the Dockerfile build context, of each target.</summary>
    public required string Work { get; init; }

    /// <summary>
    /// Also package every Essential package of the sources (dpkg, coreutils, bash...) with its dependencies. Off by
    /// default: every installed Debian or Ubuntu machine has them, and nothing declares a dependency on them.
    /// </summary>
    public bool IncludeEssential { get; init; }

    /// <summary>The apt-get to run; found on PATH when null.</summary>
    public string? AptGet { get; init; }

    /// <summary>What builds the Dockerfiles of rpm targets.</summary>
    public ContainerBuilder Builder { get; init; } = ContainerBuilder.Buildah;

    /// <summary>Storage, isolation and pull policy for buildah; the build's own fields are filled in per target.</summary>
    public Func<BuildahSettings> Buildah { get; init; } = () => new BuildahSettings();

    /// <summary>docker buildx settings (tool path, pull); the build's own fields are filled in per target.</summary>
    public Func<DockerBuildxSettings> Docker { get; init; } = () => new DockerBuildxSettings();
}
