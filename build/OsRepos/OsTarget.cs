using System.Text.RegularExpressions;

namespace Lading.OsRepos;

/// <summary>An rpm repository added to the distribution image's own before resolving (EPEL, a Kubernetes repo...).</summary>
public sealed record RpmRepository(string Id, Uri BaseUrl, Uri? GpgKey = null);

/// <summary>
/// One operating system the offline package serves: distribution, release, architecture, and where its packages
/// come from (apt sources for deb distributions; the distribution image and extra repositories for rpm ones).
/// </summary>
public sealed partial record OsTarget(string Distro, string Release, string Architecture)
{
    public IReadOnlyList<AptSource> AptSources { get; init; } = [];

    /// <summary>The image dnf runs in for rpm distributions; a default per distribution when null.</summary>
    public string? BaseImage { get; init; }

    public IReadOnlyList<RpmRepository> RpmRepositories { get; init; } = [];

    public PackageFamily Family => PackageFamilies.Of(Distro, ToString());

    /// <summary>The repository folder name, and the list file name without .list: debian-12, rocky-9.</summary>
    public string Name => $"{Distro}-{Release}";

    /// <summary>Where the target's repository sits under repos/ and the cache: debian-12/amd64.</summary>
    public string RepositoryPath => $"{Name}/{Architecture}";

    /// <summary>The Go/OCI platform of the architecture (linux/amd64), for container builds.</summary>
    public string Platform => $"linux/{Architecture switch
    {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "ppc64le" => "ppc64le",
        _ => Architecture,
    }}";

    /// <summary>The rpm name of the architecture (x86_64, aarch64).</summary>
    public string RpmArchitecture => Architecture switch
    {
        "amd64" => "x86_64",
        "arm64" => "aarch64",
        _ => Architecture,
    };

    /// <summary>A deb target from a mirror: one source per suite, all with the same components.</summary>
    public static OsTarget FromMirror(string distro, string release, string architecture, Uri mirror, IEnumerable<string> suites, IEnumerable<string> components, string? signedBy = null, bool trusted = false)
    {
        var parts = components.ToList();
        return new OsTarget(distro, release, architecture)
        {
            AptSources = suites.Select(s => new AptSource(mirror, s, parts, signedBy, trusted)).ToList(),
        };
    }

    /// <summary>The image dnf runs in: <see cref="BaseImage"/>, or the distribution's official image at the release.</summary>
    public string RpmBaseImage => BaseImage ?? Distro switch
    {
        "rocky" => $"docker.io/rockylinux/rockylinux:{Release}",
        "centos" => $"quay.io/centos/centos:{Release}",
        "almalinux" => $"docker.io/library/almalinux:{Release}",
        "openeuler" => $"docker.io/openeuler/openeuler:{Release}",
        "fedora" => $"registry.fedoraproject.org/fedora:{Release}",
        "oraclelinux" => $"docker.io/library/oraclelinux:{Release}",
        _ => throw new OsRepoException(ToString(), $"there is no default image for {Distro}: set the target's base image"),
    };

    /// <exception cref="OsRepoException">Every problem of the target, at once.</exception>
    public void Validate()
    {
        var problems = new List<OsRepoProblem>();
        if (!PackageFamilies.TryOf(Distro, out var family))
        {
            problems.Add(new OsRepoProblem(ToString(), $"'{Distro}' is not a known distribution (known: {string.Join(", ", PackageFamilies.Distros.Order(StringComparer.Ordinal))})"));
        }

        if (!Word().IsMatch(Release))
        {
            problems.Add(new OsRepoProblem(ToString(), $"release '{Release}' may hold only letters, digits, '.', '_' and '-'"));
        }

        if (!Word().IsMatch(Architecture))
        {
            problems.Add(new OsRepoProblem(ToString(), $"architecture '{Architecture}' may hold only letters, digits, '.', '_' and '-'"));
        }

        if (family == PackageFamily.Deb && AptSources.Count == 0)
        {
            problems.Add(new OsRepoProblem(ToString(), "a Debian or Ubuntu target needs at least one apt source"));
        }

        foreach (var source in AptSources)
        {
            try
            {
                source.Validate(ToString());
            }
            catch (OsRepoException e)
            {
                problems.AddRange(e.Problems);
            }
        }

        foreach (var repository in RpmRepositories.Where(r => !Word().IsMatch(r.Id)))
        {
            problems.Add(new OsRepoProblem(ToString(), $"rpm repository id '{repository.Id}' may hold only letters, digits, '.', '_' and '-'"));
        }

        if (BaseImage is not null && BaseImage.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            problems.Add(new OsRepoProblem(ToString(), $"base image '{BaseImage}' is not an image reference"));
        }

        if (problems.Count > 0)
        {
            throw new OsRepoException(problems);
        }
    }

    public override string ToString() => $"{Distro}-{Release} ({Architecture})";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Word();
}
