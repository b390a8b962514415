using System.Text.RegularExpressions;

namespace Lading.OsRepos;

/// <summary>
/// The package name and version grammars of each family, applied strictly: a name reaches apt or a Dockerfile
/// only when it cannot carry anything but a package name.
/// </summary>
public static partial class OsPackageName
{
    public static bool IsValidName(string name, PackageFamily family) =>
        family == PackageFamily.Deb ? DebName().IsMatch(name) : RpmName().IsMatch(name);

    public static bool IsValidVersion(string version, PackageFamily family) =>
        family == PackageFamily.Deb ? DebVersion().IsMatch(version) : RpmVersion().IsMatch(version);

    /// <summary>Why a name is refused, in words, or null when it is fine.</summary>
    public static string? Problem(string name, string? version, PackageFamily family)
    {
        if (!IsValidName(name, family))
        {
            return family == PackageFamily.Deb
                ? $"{SafeText.Quote(name)} is not a Debian package name (lower-case letters, digits, '+', '-', '.'; at least two characters, starting with a letter or digit)"
                : $"{SafeText.Quote(name)} is not an rpm package name (letters, digits, '_', '+', '-', '.'; starting with a letter or digit)";
        }

        if (version is not null && !IsValidVersion(version, family))
        {
            return family == PackageFamily.Deb
                ? $"{SafeText.Quote(version)} is not a Debian version for {name} ([epoch:]upstream[-revision], starting with a digit; letters, digits, '.', '+', '~', '-')"
                : $"{SafeText.Quote(version)} is not an rpm version for {name} ([epoch:]version[-release], starting with a digit or letter; letters, digits, '.', '+', '~', '^', '_', '-', ':')";
        }

        return null;
    }

    // Debian Policy 5.6.1: at least two characters, lower case, must start with an alphanumeric.
    [GeneratedRegex("^[a-z0-9][a-z0-9+.-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex DebName();

    // Debian Policy 5.6.12: optional numeric epoch, upstream starting with a digit.
    [GeneratedRegex("^([0-9]+:)?[0-9][A-Za-z0-9.+~-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex DebVersion();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_+.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex RpmName();

    [GeneratedRegex("^([0-9]+:)?[A-Za-z0-9][A-Za-z0-9._+~^-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex RpmVersion();
}
