namespace Lading.Images.Registry;

/// <summary>A repository in a registry: <c>127.0.0.1:5000</c> + <c>library/nginx</c>.</summary>
public sealed record RegistryRepository
{
    public RegistryRepository(string registry, string path)
    {
        if (string.IsNullOrWhiteSpace(registry))
        {
            throw new ArgumentException("A registry host is required.", nameof(registry));
        }

        if (string.IsNullOrWhiteSpace(path) || path.StartsWith('/') || path.EndsWith('/'))
        {
            throw new ArgumentException($"'{path}' is not a repository path.", nameof(path));
        }

        Registry = registry.ToLowerInvariant();
        Path = Registry == DockerHub.Name && !path.Contains('/') ? $"library/{path}" : path;
    }

    /// <summary>The registry as users write it (docker.io, quay.io, 127.0.0.1:5000).</summary>
    public string Registry { get; }

    public string Path { get; }

    /// <summary>The host the API is served from: docker.io is served by registry-1.docker.io.</summary>
    public string ApiHost => DockerHub.ApiHost(Registry);

    public override string ToString() => $"{Registry}/{Path}";

    /// <summary>The repository an image reference lives in.</summary>
    public static RegistryRepository Of(ImageReference image) => new(image.Registry, image.Repository);
}

internal static class DockerHub
{
    public const string Name = ImageReference.DockerHub;

    /// <summary>Docker Hub's names as they appear in references and in docker config files.</summary>
    public static bool Is(string registry) => registry is Name or "index.docker.io" or ImageReference.DockerHubApiHost;

    public static string ApiHost(string registry) => Is(registry) ? ImageReference.DockerHubApiHost : registry;
}
