using System.Net;
using System.Text.RegularExpressions;

namespace Lading.Bootstrap;

/// <summary>
/// Where an offline-resources site serves from: its name and addresses, the ports of nginx (files/, repos/) and of
/// the registry (images/), the images that run them, and the package folders (relative to the package root).
/// </summary>
public sealed partial record SiteOptions
{
    public SiteOptions(string hostname, IReadOnlyList<string>? addresses = null, int filesPort = 8080, int registryPort = 5000)
    {
        if (!HostName().IsMatch(hostname) || hostname.Length > 253)
        {
            throw new BootstrapException("site hostname", $"'{hostname}' is not a DNS name.");
        }

        var parsed = new List<IPAddress>();
        foreach (var address in addresses ?? [])
        {
            if (!IPAddress.TryParse(address, out var ip))
            {
                throw new BootstrapException("site addresses", $"'{address}' is not an IP address.");
            }

            parsed.Add(ip);
        }

        foreach (var (name, port) in new[] { ("files port", filesPort), ("registry port", registryPort) })
        {
            if (port is < 1 or > 65535)
            {
                throw new BootstrapException(name, $"{port} is not a TCP port (1-65535).");
            }
        }

        if (filesPort == registryPort)
        {
            throw new BootstrapException("registry port", $"nginx and the registry cannot both listen on {filesPort}.");
        }

        Hostname = hostname.ToLowerInvariant();
        Addresses = parsed;
        FilesPort = filesPort;
        RegistryPort = registryPort;
    }

    public string Hostname { get; }

    public IReadOnlyList<IPAddress> Addresses { get; }

    public int FilesPort { get; }

    public int RegistryPort { get; }

    public string NginxImage { get; init => field = Image(value, "nginx image"); } = "docker.io/library/nginx:1.27-alpine";

    public string RegistryImage { get; init => field = Image(value, "registry image"); } = "docker.io/library/registry:2.8.3";

    public string FilesFolder { get; init => field = Relative(value, "files folder"); } = "files";

    public string ReposFolder { get; init => field = Relative(value, "repos folder"); } = "repos";

    public string ImagesFolder { get; init => field = Relative(value, "images folder"); } = "images";

    public string TlsFolder { get; init => field = Relative(value, "tls folder"); } = "tls";

    /// <summary>The compose project name; containers are named after it.</summary>
    public string Project { get; init => field = Word(value, "project"); } = "offline-resources";

    public string FilesUrl => $"http://{Hostname}:{FilesPort}/files/";

    public string ReposUrl => $"http://{Hostname}:{FilesPort}/repos/";

    public string Registry => $"{Hostname}:{RegistryPort}";

    private static string Image(string value, string place) =>
        ImageWord().IsMatch(value) ? value : throw new BootstrapException(place, $"'{value}' is not an image reference.");

    private static string Word(string value, string place) =>
        ProjectWord().IsMatch(value) ? value : throw new BootstrapException(place, $"'{value}' must be lower-case letters, digits, '-' or '_'.");

    /// <summary>A folder inside the package, so compose and install.sh never reach outside it.</summary>
    internal static string Relative(string value, string place, bool colonAllowed = false)
    {
        var parts = value.Split('/');
        if (value.Length == 0 || value.StartsWith('/') || parts.Any(p => p is "" or "." or "..") || !PathWord().IsMatch(colonAllowed ? value.Replace(':', '_') : value))
        {
            throw new BootstrapException(place, $"'{value}' must be a relative path inside the package (letters, digits, '.', '-', '_', '/').");
        }

        return value;
    }

    [GeneratedRegex(@"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")]
    private static partial Regex HostName();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._/:@+-]*$", RegexOptions.IgnoreCase)]
    private static partial Regex ImageWord();

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex ProjectWord();

    [GeneratedRegex("^[A-Za-z0-9._/-]+$")]
    private static partial Regex PathWord();
}
