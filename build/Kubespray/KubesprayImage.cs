using System.Text;
using System.Text.RegularExpressions;

namespace Lading.Kubespray;

/// <summary>
/// The Kubespray runner image: a python base image given by the caller, the Kubespray tree at /kubespray with its
/// python requirements installed, ansible-playbook as the entry point.
/// </summary>
public sealed partial record KubesprayImage
{
    public const string TreeInImage = "/kubespray";

    public KubesprayImage(string baseImage, string version, IReadOnlyList<string>? systemPackages = null, string? pipIndexUrl = null)
    {
        if (!ImageWord().IsMatch(baseImage))
        {
            throw new KubesprayException("base image", $"'{baseImage}' is not an image reference.");
        }

        if (!VersionWord().IsMatch(version))
        {
            throw new KubesprayException("Kubespray version", $"'{version}' cannot label an image (letters, digits, '.', '-', '_', '+' only).");
        }

        foreach (var package in systemPackages ?? [])
        {
            if (!DebianPackage().IsMatch(package))
            {
                throw new KubesprayException("system packages", $"'{package}' is not a Debian package name.");
            }
        }

        if (pipIndexUrl is not null && (!Uri.TryCreate(pipIndexUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || pipIndexUrl.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\' or '$' or '`')))
        {
            throw new KubesprayException("pip index", $"'{pipIndexUrl}' is not an http(s) URL.");
        }

        BaseImage = baseImage;
        Version = version;
        SystemPackages = systemPackages ?? DefaultSystemPackages;
        PipIndexUrl = pipIndexUrl;
    }

    /// <summary>The name the runner image is stored under in the package and served under by the site.</summary>
    public static string SiteNameFor(string version) => $"release/kubespray:{version}";

    /// <summary>ssh for reaching the nodes, sshpass for password logins, rsync for Kubespray's synchronize tasks.</summary>
    public static IReadOnlyList<string> DefaultSystemPackages { get; } = ["openssh-client", "rsync", "sshpass"];

    public string BaseImage { get; }

    public string Version { get; }

    public IReadOnlyList<string> SystemPackages { get; }

    public string? PipIndexUrl { get; }

    /// <summary>The Dockerfile, built with the Kubespray tree as the build context.</summary>
    public string Dockerfile()
    {
        var text = new StringBuilder();
        text.Append("FROM ").Append(BaseImage).Append('\n');
        text.Append("LABEL org.opencontainers.image.title=\"kubespray\" org.opencontainers.image.version=\"").Append(Version).Append("\"\n");
        text.Append("ENV PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1\n");
        if (SystemPackages.Count > 0)
        {
            text.Append("RUN apt-get update \\\n");
            text.Append(" && apt-get install -y --no-install-recommends ").Append(string.Join(' ', SystemPackages.Order(StringComparer.Ordinal))).Append(" \\\n");
            text.Append(" && rm -rf /var/lib/apt/lists/*\n");
        }

        text.Append("WORKDIR ").Append(TreeInImage).Append('\n');
        // The requirements come first so a change elsewhere in the tree reuses the pip layer.
        text.Append("COPY requirements.txt ./\n");
        text.Append("RUN python3 -m pip install");
        if (PipIndexUrl is not null)
        {
            text.Append(" --index-url ").Append(PipIndexUrl);
        }

        text.Append(" -r requirements.txt\n");
        text.Append("COPY . .\n");
        text.Append("ENTRYPOINT [\"ansible-playbook\"]\n");
        text.Append("CMD [\"--version\"]\n");
        return text.ToString();
    }

    /// <summary>Keeps the git history and the offline lists' scratch folder out of the image.</summary>
    public static string DockerIgnore() => ".git\ncontrib/offline/temp\n";

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._/:@+-]*$", RegexOptions.IgnoreCase)]
    private static partial Regex ImageWord();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._+-]*$")]
    private static partial Regex VersionWord();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9+.-]+$")]
    private static partial Regex DebianPackage();
}
