using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lading.Bootstrap;

/// <summary>What runs the site's nginx and registry: podman, nerdctl, or whichever the host has (podman first).</summary>
public enum SiteRuntime
{
    Auto,
    Podman,
    Nerdctl,
}

/// <summary>
/// An offline-resources site as its site.yaml says: its name and addresses (all in its TLS certificate), where its
/// services listen, the data folder they serve, the runtime that runs them. The package ships the file pre-filled;
/// install.sh reads it on site with the same rules (<see cref="Parse"/>), and every problem names its key.
/// </summary>
public sealed partial record SiteOptions
{
    public const string FileName = "site.yaml";

    public const string DefaultDataDir = "/var/lib/offline-resources";

    public const int DefaultFilesPort = 8443;

    public const int DefaultRegistryPort = 5000;

    // A port site.yaml gives as no number at all, already said.
    private const int NotANumber = int.MinValue;

    /// <summary>The keys of site.yaml, in the order it is written.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["hostname", "addresses", "bindAddress", "filesPort", "registryPort", "dataDir", "runtime"];

    public SiteOptions(string hostname, IReadOnlyList<string>? addresses = null, int filesPort = DefaultFilesPort, int registryPort = DefaultRegistryPort)
    {
        var problems = new List<(string Key, string Reason)>();
        Check(problems, hostname, addresses ?? [], "0.0.0.0", filesPort, registryPort, DefaultDataDir);
        if (problems.Count > 0)
        {
            throw new BootstrapException(problems[0].Key, problems[0].Reason);
        }

        Hostname = hostname.ToLowerInvariant();
        Addresses = (addresses ?? []).Select(IPAddress.Parse).ToList();
        FilesPort = filesPort;
        RegistryPort = registryPort;
    }

    public string Hostname { get; }

    public IReadOnlyList<IPAddress> Addresses { get; }

    public int FilesPort { get; }

    public int RegistryPort { get; }

    /// <summary>Where the services listen: 0.0.0.0 (every address), or one address of the host.</summary>
    public string BindAddress { get; init => field = IsAddress(value) ? value : throw new BootstrapException("bindAddress", $"'{value}' is not an IP address."); } = "0.0.0.0";

    /// <summary>The folder on the site host the services serve from: files/, repos/, registry/, tls/, config/.</summary>
    public string DataDir { get; init => field = IsDataDir(value) ? value : throw new BootstrapException("dataDir", DataDirReason(value)); } = DefaultDataDir;

    public SiteRuntime Runtime { get; init; } = SiteRuntime.Auto;

    public string NginxImage { get; init => field = Image(value, "nginx image"); } = "docker.io/library/nginx:1.27-alpine";

    public string RegistryImage { get; init => field = Image(value, "registry image"); } = "docker.io/library/registry:2.8.3";

    public string FilesFolder { get; init => field = Relative(value, "files folder"); } = "files";

    public string ReposFolder { get; init => field = Relative(value, "repos folder"); } = "repos";

    public string ImagesFolder { get; init => field = Relative(value, "images folder"); } = "images";

    /// <summary>The services' name prefix: containers and systemd units are &lt;project&gt;-files and &lt;project&gt;-registry.</summary>
    public string Project { get; init => field = Word(value, "project"); } = "offline-resources";

    /// <summary>Kubespray's files_repo: files keep their upstream host and path below it.</summary>
    public string FilesUrl => $"https://{Hostname}:{FilesPort}/files";

    public string ReposUrl => $"https://{Hostname}:{FilesPort}/repos";

    public string Registry => $"{Hostname}:{RegistryPort}";

    /// <summary>Reads a site.yaml; every problem at once, each naming its key (or line), in one exception.</summary>
    public static SiteOptions Parse(string yaml, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException error)
        {
            throw new BootstrapException(file, $"line {error.Start.Line}: not valid YAML ({error.InnerException?.Message ?? error.Message}).");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new BootstrapException(file, "site.yaml is a mapping of hostname, addresses, bindAddress, filesPort, registryPort, dataDir and runtime.");
        }

        var problems = new List<(string Key, string Reason)>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var addresses = new List<string>();
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = keyNode.ToString();
            if (!Keys.Contains(key))
            {
                problems.Add((key, $"not a site.yaml key ({string.Join(", ", Keys)})"));
            }
            else if (key == "addresses")
            {
                if (valueNode is YamlSequenceNode list)
                {
                    addresses.AddRange(list.Children.Select(item => item.ToString()));
                }
                else
                {
                    problems.Add((key, "a list is expected, like [10.0.0.5, 10.0.0.6]"));
                }
            }
            else if (valueNode is YamlScalarNode scalar)
            {
                values[key] = scalar.Value ?? string.Empty;
            }
            else
            {
                problems.Add((key, "a single value is expected"));
            }
        }

        var hostname = values.GetValueOrDefault("hostname", string.Empty);
        var bind = values.GetValueOrDefault("bindAddress", "0.0.0.0");
        var filesPort = Port("filesPort", DefaultFilesPort);
        var registryPort = Port("registryPort", DefaultRegistryPort);
        var dataDir = values.GetValueOrDefault("dataDir", DefaultDataDir);
        var runtimeText = values.GetValueOrDefault("runtime", "auto");
        Check(problems, hostname, addresses, bind, filesPort, registryPort, dataDir);
        var runtime = runtimeText switch
        {
            "auto" => SiteRuntime.Auto,
            "podman" => SiteRuntime.Podman,
            "nerdctl" => SiteRuntime.Nerdctl,
            _ => (SiteRuntime?)null,
        };
        if (runtime is null)
        {
            problems.Add(("runtime", $"'{runtimeText}' is not auto, podman or nerdctl"));
        }

        if (problems.Count > 0)
        {
            throw new BootstrapException(file, $"{problems.Count} problem(s):{Environment.NewLine}{string.Join(Environment.NewLine, problems.Select(p => $"  {p.Key}: {p.Reason}"))}");
        }

        return new SiteOptions(hostname, addresses, filesPort, registryPort) { BindAddress = bind, DataDir = dataDir, Runtime = runtime!.Value };

        // A value that is no number is said here; the range is checked with the rest.
        int Port(string key, int fallback)
        {
            if (!values.TryGetValue(key, out var text))
            {
                return fallback;
            }

            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                return port;
            }

            problems.Add((key, $"'{text}' is not a TCP port (1-65535)"));
            return NotANumber;
        }
    }

    /// <summary>The site a build ships: its given site.yaml, else one for the host name and addresses.</summary>
    public static SiteOptions From(string? siteConfig, string hostname, IReadOnlyList<string> addresses) =>
        siteConfig is null ? new SiteOptions(hostname, addresses) : Load(siteConfig);

    public static SiteOptions Load(string path) =>
        File.Exists(path) ? Parse(File.ReadAllText(path), path) : throw new BootstrapException(path, "the site configuration does not exist.");

    /// <summary>site.yaml as the package ships it: every key, each with a line saying what it is.</summary>
    public string ToYaml()
    {
        var yaml = new StringBuilder();
        yaml.Append("# The offline-resources site. Edit it, then run: bash install.sh (again after any change).\n");
        yaml.Append("# The DNS name nodes reach the site by; it is in the site's TLS certificate.\n");
        yaml.Append("hostname: ").Append(Hostname).Append('\n');
        yaml.Append("# The site's IP addresses, also in the certificate; the first goes into the nodes' /etc/hosts.\n");
        yaml.Append("addresses: [").Append(string.Join(", ", Addresses)).Append("]\n");
        yaml.Append("# Where nginx and the registry listen: 0.0.0.0 is every address of this host.\n");
        yaml.Append("bindAddress: ").Append(BindAddress).Append('\n');
        yaml.Append("# nginx serves files/ and repos/ over HTTPS on this port; the registry serves images on the other.\n");
        yaml.Append("filesPort: ").Append(FilesPort).Append('\n');
        yaml.Append("registryPort: ").Append(RegistryPort).Append('\n');
        yaml.Append("# What the site serves, and its TLS material; install.sh --uninstall keeps it.\n");
        yaml.Append("dataDir: ").Append(DataDir).Append('\n');
        yaml.Append("# podman, nerdctl, or auto: podman when installed, else nerdctl (installed from the package when missing).\n");
        yaml.Append("runtime: ").Append(Runtime.ToString().ToLowerInvariant()).Append('\n');
        return yaml.ToString();
    }

    private static void Check(List<(string Key, string Reason)> problems, string hostname, IReadOnlyList<string> addresses, string bind, int filesPort, int registryPort, string dataDir)
    {
        if (string.IsNullOrEmpty(hostname))
        {
            problems.Add(("hostname", "missing; it is the DNS name nodes reach the site by"));
        }
        else if (!HostName().IsMatch(hostname))
        {
            problems.Add(("hostname", $"'{hostname}' is not a DNS name"));
        }

        foreach (var address in addresses.Where(a => !IsAddress(a)))
        {
            problems.Add(("addresses", $"'{address}' is not an IP address"));
        }

        if (!IsAddress(bind))
        {
            problems.Add(("bindAddress", $"'{bind}' is not an IP address"));
        }

        foreach (var (key, port) in new[] { ("filesPort", filesPort), ("registryPort", registryPort) })
        {
            if (port != NotANumber && port is < 1 or > 65535)
            {
                problems.Add((key, $"{port} is not a TCP port (1-65535)"));
            }
        }

        if (filesPort == registryPort && filesPort is >= 1 and <= 65535)
        {
            problems.Add(("registryPort", $"nginx and the registry cannot both listen on {filesPort}"));
        }

        if (!IsDataDir(dataDir))
        {
            problems.Add(("dataDir", DataDirReason(dataDir)));
        }
    }

    /// <summary>An IPv4 address in dotted quads or an IPv6 address: what install.sh accepts, and what a certificate can name.</summary>
    private static bool IsAddress(string text) =>
        IPAddress.TryParse(text, out var address)
        && (address.AddressFamily == AddressFamily.InterNetworkV6 ? text.Contains(':') : DottedQuad().IsMatch(text));

    private static bool IsDataDir(string path) => DataDirWord().IsMatch(path) && !path.Split('/').Any(p => p is "." or "..");

    private static string DataDirReason(string path) => $"'{path}' is not an absolute folder of letters, digits, '.', '-', '_' and '/'";

    private static string Image(string value, string place) =>
        ImageWord().IsMatch(value) ? value : throw new BootstrapException(place, $"'{value}' is not an image reference.");

    private static string Word(string value, string place) =>
        ProjectWord().IsMatch(value) ? value : throw new BootstrapException(place, $"'{value}' must be lower-case letters, digits, '-' or '_'.");

    /// <summary>A folder inside the package, so install.sh never reaches outside it.</summary>
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

    [GeneratedRegex(@"^\d{1,3}(\.\d{1,3}){3}$")]
    private static partial Regex DottedQuad();

    [GeneratedRegex("^(/[A-Za-z0-9._-]+)+$")]
    private static partial Regex DataDirWord();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._/:@+-]*$", RegexOptions.IgnoreCase)]
    private static partial Regex ImageWord();

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex ProjectWord();

    [GeneratedRegex("^[A-Za-z0-9._/-]+$")]
    private static partial Regex PathWord();
}
