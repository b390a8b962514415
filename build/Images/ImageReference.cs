namespace Lading.Images;

/// <summary>
/// An image reference in the docker grammar: <c>[registry[:port]/]path[:tag][@sha256:...]</c>.
/// A reference without a registry is read as docker.io, and a one-component docker.io path gets <c>library/</c>,
/// exactly as docker and skopeo read it.
/// </summary>
public sealed record ImageReference
{
    public const string DockerHub = "docker.io";

    /// <summary>The host Docker Hub's registry API answers on; <see cref="DockerHub"/> is only its name.</summary>
    public const string DockerHubApiHost = "registry-1.docker.io";

    public const string DefaultTag = "latest";

    private const int MaxNameLength = 255;
    private const int MaxTagLength = 128;

    private ImageReference(string registry, string repository, string? tag, Digest? digest, bool hasExplicitRegistry)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
        HasExplicitRegistry = hasExplicitRegistry;
    }

    /// <summary>The registry's canonical name: <c>docker.io</c>, <c>quay.io</c>, <c>localhost:5000</c>.</summary>
    public string Registry { get; }

    /// <summary>The path inside the registry: <c>library/nginx</c>, <c>calico/node</c>.</summary>
    public string Repository { get; }

    /// <summary>The tag; <c>latest</c> when the text named neither a tag nor a digest, null for a digest-only reference.</summary>
    public string? Tag { get; }

    public Digest? Digest { get; }

    /// <summary>False when the text had no registry host: in an image list such an entry is a site name.</summary>
    public bool HasExplicitRegistry { get; }

    /// <summary><c>docker.io/library/nginx</c>: registry and repository, no tag or digest.</summary>
    public string Name => $"{Registry}/{Repository}";

    /// <summary>The host to send registry API requests to (Docker Hub answers on another host than its name).</summary>
    public string ApiHost => Registry == DockerHub ? DockerHubApiHost : Registry;

    /// <summary>The reference without its host, as the image is named on a site: <c>library/nginx:1.25.3</c>.</summary>
    public string SiteName => Repository + Suffix;

    /// <summary>What the registry API calls the reference: the digest when there is one, else the tag.</summary>
    public string ManifestReference => Digest?.ToString() ?? Tag!;

    /// <summary><c>:tag</c>, <c>@digest</c> or both, as written after the name.</summary>
    internal string Suffix =>
        (Tag is null ? string.Empty : ":" + Tag) + (Digest is null ? string.Empty : "@" + Digest);

    /// <summary>The normalized form: <c>docker.io/library/nginx:1.25.3</c>.</summary>
    public override string ToString() => Name + Suffix;

    public ImageReference WithRegistry(string registry)
    {
        var reason = CheckRegistry(registry);
        if (reason is not null)
        {
            throw new ImageReferenceException(registry + "/" + SiteName, reason);
        }

        return new ImageReference(NormalizeRegistry(registry), Repository, Tag, Digest, hasExplicitRegistry: true);
    }

    public ImageReference WithRepository(string repository)
    {
        var reason = CheckRepository(repository);
        if (reason is not null)
        {
            throw new ImageReferenceException(repository + Suffix, reason);
        }

        return new ImageReference(Registry, repository, Tag, Digest, HasExplicitRegistry);
    }

    public ImageReference WithDigest(Digest digest) => new(Registry, Repository, Tag, digest, HasExplicitRegistry);

    public ImageReference WithoutDigest() => new(Registry, Repository, Tag ?? DefaultTag, null, HasExplicitRegistry);

    public ImageReference WithTag(string tag)
    {
        var reason = CheckTag(tag);
        if (reason is not null)
        {
            throw new ImageReferenceException(Name + ":" + tag, reason);
        }

        return new ImageReference(Registry, Repository, tag, Digest, HasExplicitRegistry);
    }

    /// <summary>A reference with no host, as a site names it (<c>library/nginx</c>, <c>release/cyclone</c>).</summary>
    public static ImageReference ForSite(string repository, string? tag, Digest? digest)
    {
        var text = repository + (tag is null ? string.Empty : ":" + tag) + (digest is null ? string.Empty : "@" + digest);
        var reference = Parse(text);
        if (reference.HasExplicitRegistry)
        {
            throw new ImageReferenceException(text, "a site name has no registry host, but this one starts with one");
        }

        return reference;
    }

    public static ImageReference Parse(string text) =>
        TryParse(text, out var reference, out var reason) ? reference : throw new ImageReferenceException(text, reason);

    public static bool TryParse(string? text, out ImageReference reference, out string reason)
    {
        reference = null!;
        reason = Check(text, out var parsed) ?? string.Empty;
        if (parsed is null)
        {
            return false;
        }

        reference = parsed;
        return true;
    }

    private static string? Check(string? text, out ImageReference? reference)
    {
        reference = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return "the reference is empty";
        }

        if (text.Any(char.IsWhiteSpace))
        {
            return "a reference cannot contain spaces";
        }

        if (text.Contains("://", StringComparison.Ordinal))
        {
            return "a reference has no scheme: write quay.io/calico/node:v3.26.1, not a URL";
        }

        var rest = text;
        Digest? digest = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            var digestText = rest[(at + 1)..];
            if (!digestText.StartsWith("sha256:", StringComparison.Ordinal) && digestText.Contains(':'))
            {
                return $"only sha256 digests are supported, not '{digestText.Split(':')[0]}'";
            }

            if (!Common.Digest.TryParse(digestText, out var parsedDigest))
            {
                return $"'{digestText}' is not a digest (expected sha256: and 64 lowercase hex digits)";
            }

            digest = parsedDigest;
            rest = rest[..at];
        }

        // The tag's colon is the last one after the last slash; a colon before it belongs to a registry port.
        string? tag = null;
        var lastSlash = rest.LastIndexOf('/');
        var colon = rest.IndexOf(':', lastSlash + 1);
        if (colon >= 0)
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            var tagReason = CheckTag(tag);
            if (tagReason is not null)
            {
                return tagReason;
            }
        }

        if (rest.Length == 0)
        {
            return "the reference has no image name";
        }

        var (registry, repository, explicitRegistry) = SplitRegistry(rest);
        if (explicitRegistry)
        {
            var registryReason = CheckRegistry(registry);
            if (registryReason is not null)
            {
                return registryReason;
            }

            registry = NormalizeRegistry(registry);
        }

        if (registry == DockerHub && !repository.Contains('/'))
        {
            repository = "library/" + repository;
        }

        var repositoryReason = CheckRepository(repository);
        if (repositoryReason is not null)
        {
            return repositoryReason;
        }

        if (registry.Length + 1 + repository.Length > MaxNameLength)
        {
            return $"the name is longer than {MaxNameLength} characters";
        }

        reference = new ImageReference(registry, repository, tag ?? (digest is null ? DefaultTag : null), digest, explicitRegistry);
        return null;
    }

    private static (string Registry, string Repository, bool Explicit) SplitRegistry(string name)
    {
        var slash = name.IndexOf('/');
        if (slash < 0)
        {
            return (DockerHub, name, false);
        }

        // As docker reads it: the first component is a host when it has a dot, a port, is localhost, or has capitals.
        var first = name[..slash];
        var isHost = first.Contains('.') || first.Contains(':') || first == "localhost" || first.Any(char.IsUpper);
        return isHost ? (first, name[(slash + 1)..], true) : (DockerHub, name, false);
    }

    private static string NormalizeRegistry(string registry) =>
        registry is "index.docker.io" or "registry-1.docker.io" ? DockerHub : registry;

    private static string? CheckRegistry(string registry)
    {
        var host = registry;
        var colon = registry.LastIndexOf(':');
        if (colon >= 0 && !registry.EndsWith(']'))
        {
            host = registry[..colon];
            var port = registry[(colon + 1)..];
            if (port.Length == 0 || port.Length > 5 || !port.All(char.IsAsciiDigit) || int.Parse(port) is 0 or > 65535)
            {
                return $"'{port}' in registry '{registry}' is not a port number";
            }
        }

        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            return System.Net.IPAddress.TryParse(host[1..^1], out _) ? null : $"'{host}' is not an IPv6 address";
        }

        if (host.Length == 0)
        {
            return $"registry '{registry}' has no host name";
        }

        foreach (var label in host.Split('.'))
        {
            var valid = label.Length > 0 && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') && label[0] != '-' && label[^1] != '-';
            if (!valid)
            {
                return $"'{registry}' is not a valid registry host (letters, digits, '-' and '.', optionally :port)";
            }
        }

        return null;
    }

    private static string? CheckRepository(string repository)
    {
        if (repository.Length == 0)
        {
            return "the reference has no repository path after the registry";
        }

        foreach (var component in repository.Split('/'))
        {
            var reason = CheckPathComponent(component);
            if (reason is not null)
            {
                return $"repository '{repository}': {reason}";
            }
        }

        return null;
    }

    // A path component is lowercase alphanumerics joined by one '.', one or two '_', or any number of '-'.
    private static string? CheckPathComponent(string component)
    {
        if (component.Length == 0)
        {
            return "it has an empty path component (two slashes, or a slash at an end)";
        }

        if (component.Any(char.IsUpper))
        {
            return "repository names must be lowercase";
        }

        if (!IsLowerAlphaNumeric(component[0]) || !IsLowerAlphaNumeric(component[^1]))
        {
            return $"'{component}' must start and end with a lowercase letter or digit";
        }

        var i = 0;
        while (i < component.Length)
        {
            if (IsLowerAlphaNumeric(component[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < component.Length && !IsLowerAlphaNumeric(component[i]))
            {
                i++;
            }

            var separator = component[start..i];
            var valid = separator is "." or "_" or "__" || separator.All(c => c == '-');
            if (!valid)
            {
                return $"'{separator}' in '{component}' is not allowed (use one '.', one or two '_', or dashes)";
            }
        }

        return null;
    }

    private static string? CheckTag(string tag)
    {
        if (tag.Length == 0)
        {
            return "the tag after ':' is empty";
        }

        if (tag.Length > MaxTagLength)
        {
            return $"tag '{tag}' is longer than {MaxTagLength} characters";
        }

        static bool Word(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
        if (!Word(tag[0]) || !tag.All(c => Word(c) || c is '.' or '-'))
        {
            return $"tag '{tag}' may only hold letters, digits, '_', '.' and '-', and cannot start with '.' or '-'";
        }

        return null;
    }

    private static bool IsLowerAlphaNumeric(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9';
}

/// <summary>A reference that does not follow the docker reference grammar.</summary>
public sealed class ImageReferenceException(string reference, string reason)
    : FormatException($"'{reference}' is not a valid image reference: {reason}.")
{
    public string Reference { get; } = reference;

    public string Reason { get; } = reason;
}
