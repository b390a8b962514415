using System.Text;
using System.Text.Json;

namespace Lading.Images.Registry;

/// <summary>A user name and password (or token) for one registry. Never printed: ToString hides the secret.</summary>
public sealed class RegistryCredential
{
    public RegistryCredential(string username, string password)
    {
        Username = username;
        Password = password;
    }

    public string Username { get; }

    public string Password { get; }

    internal string BasicHeaderValue => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}"));

    public override string ToString() => $"{Username}:***";
}

/// <summary>Where the client finds credentials for a registry; null means anonymous.</summary>
public interface IRegistryCredentialSource
{
    RegistryCredential? Find(string registry);
}

/// <summary>No credentials anywhere: anonymous pulls only.</summary>
public sealed class AnonymousCredentials : IRegistryCredentialSource
{
    public static AnonymousCredentials Instance { get; } = new();

    public RegistryCredential? Find(string registry) => null;
}

/// <summary>Credentials given explicitly (from environment variables named in a recipe), per registry host.</summary>
public sealed class ExplicitCredentials : IRegistryCredentialSource
{
    private readonly Dictionary<string, RegistryCredential> _byRegistry = new(StringComparer.OrdinalIgnoreCase);

    public ExplicitCredentials Add(string registry, string username, string password)
    {
        _byRegistry[NormalRegistry(registry)] = new RegistryCredential(username, password);
        return this;
    }

    public RegistryCredential? Find(string registry) => _byRegistry.GetValueOrDefault(NormalRegistry(registry));

    internal static string NormalRegistry(string registry)
    {
        var host = registry.Trim();
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            host = host[(scheme + 3)..];
        }

        host = host.Split('/')[0].ToLowerInvariant();
        return DockerHub.Is(host) ? DockerHub.Name : host;
    }
}

/// <summary>First source that knows the registry wins.</summary>
public sealed class ChainedCredentials(params IRegistryCredentialSource[] sources) : IRegistryCredentialSource
{
    public RegistryCredential? Find(string registry) => sources.Select(s => s.Find(registry)).FirstOrDefault(c => c is not null);
}

/// <summary>
/// The <c>auths</c> section of a docker config.json (base64 <c>auth</c>, or username/password).
/// Credential helpers (credsStore) are not run: a build host should be given its credentials explicitly.
/// </summary>
public sealed class DockerConfigCredentials : IRegistryCredentialSource
{
    private readonly ExplicitCredentials _found = new();

    private DockerConfigCredentials()
    {
    }

    /// <summary>~/.docker/config.json, or $DOCKER_CONFIG/config.json when the caller passes that folder.</summary>
    public static string DefaultPath(string? dockerConfigFolder = null) =>
        Path.Combine(dockerConfigFolder ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker"), "config.json");

    /// <summary>Reads the file; a missing file means no credentials, a malformed one is an error naming the file.</summary>
    public static DockerConfigCredentials Load(string path)
    {
        return File.Exists(path) ? Parse(File.ReadAllText(path), path) : new DockerConfigCredentials();
    }

    public static DockerConfigCredentials Parse(string json, string origin)
    {
        var result = new DockerConfigCredentials();
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("auths", out var auths) || auths.ValueKind != JsonValueKind.Object)
            {
                return result;
            }

            foreach (var entry in auths.EnumerateObject())
            {
                var credential = Read(entry.Value);
                if (credential is not null)
                {
                    result._found.Add(entry.Name, credential.Value.User, credential.Value.Password);
                }
            }
        }
        catch (JsonException e)
        {
            // The message must not quote the file: it holds secrets.
            throw new FormatException($"{origin}:{e.LineNumber + 1}: not valid JSON, registry credentials cannot be read from it.");
        }

        return result;
    }

    public RegistryCredential? Find(string registry) => _found.Find(registry);

    private static (string User, string Password)? Read(JsonElement entry)
    {
        if (entry.TryGetProperty("auth", out var auth) && auth.GetString() is { Length: > 0 } encoded)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            }
            catch (FormatException)
            {
                return null;
            }

            var colon = decoded.IndexOf(':');
            return colon > 0 ? (decoded[..colon], decoded[(colon + 1)..]) : null;
        }

        if (entry.TryGetProperty("username", out var user) && entry.TryGetProperty("password", out var password)
            && user.GetString() is { Length: > 0 } u && password.GetString() is { } p)
        {
            return (u, p);
        }

        return null;
    }
}
