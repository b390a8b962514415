namespace Lading.OsRepos;

/// <summary>Which program builds the Dockerfiles of rpm repositories.</summary>
public enum ContainerBuilder
{
    /// <summary>buildah bud: no daemon needed.</summary>
    Buildah,

    /// <summary>docker buildx build: needs a Docker engine with BuildKit.</summary>
    DockerBuildx,
}
