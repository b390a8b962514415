namespace Lading.OsRepos;

/// <summary>How a distribution packages its software, which decides how its offline repository is built.</summary>
public enum PackageFamily
{
    /// <summary>Debian, Ubuntu: .deb packages, resolved natively with apt.</summary>
    Deb,

    /// <summary>Rocky, CentOS, RHEL, AlmaLinux, openEuler, Fedora, Kylin: .rpm packages, resolved with dnf inside the distribution's image.</summary>
    Rpm,
}

public static class PackageFamilies
{
    private static readonly Dictionary<string, PackageFamily> Known = new(StringComparer.Ordinal)
    {
        ["debian"] = PackageFamily.Deb,
        ["ubuntu"] = PackageFamily.Deb,
        ["rocky"] = PackageFamily.Rpm,
        ["centos"] = PackageFamily.Rpm,
        ["rhel"] = PackageFamily.Rpm,
        ["almalinux"] = PackageFamily.Rpm,
        ["openeuler"] = PackageFamily.Rpm,
        ["fedora"] = PackageFamily.Rpm,
        ["kylin"] = PackageFamily.Rpm,
        ["oraclelinux"] = PackageFamily.Rpm,
    };

    public static IReadOnlyCollection<string> Distros => Known.Keys;

    public static bool TryOf(string distro, out PackageFamily family) => Known.TryGetValue(distro, out family);

    /// <exception cref="OsRepoException">The distribution is not one Lading knows how to package.</exception>
    public static PackageFamily Of(string distro, string where) =>
        TryOf(distro, out var family)
            ? family
            : throw new OsRepoException(where, $"'{distro}' is not a known distribution (known: {string.Join(", ", Known.Keys.Order(StringComparer.Ordinal))})");
}
