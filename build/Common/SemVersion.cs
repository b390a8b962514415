using System.Text.RegularExpressions;

namespace Lading.Common;

/// <summary>
/// A SemVer 2.0 version, optionally written with a leading <c>v</c> (tags such as v1.2.0).
/// Ordering is SemVer precedence: build metadata is ignored, a pre-release sorts before its release.
/// </summary>
public sealed partial class SemVersion : IComparable<SemVersion>, IEquatable<SemVersion>
{
    private SemVersion(string text, bool hasPrefixV, ulong major, ulong minor, ulong patch, IReadOnlyList<string> preRelease, string build)
    {
        Text = text;
        HasPrefixV = hasPrefixV;
        Major = major;
        Minor = minor;
        Patch = patch;
        PreRelease = preRelease;
        Build = build;
    }

    /// <summary>The version as it was written, leading <c>v</c> included.</summary>
    public string Text { get; }

    public bool HasPrefixV { get; }

    public ulong Major { get; }

    public ulong Minor { get; }

    public ulong Patch { get; }

    /// <summary>The dot-separated pre-release identifiers; empty for a release.</summary>
    public IReadOnlyList<string> PreRelease { get; }

    public string Build { get; }

    public bool IsPreRelease => PreRelease.Count > 0;

    public override string ToString() => Text;

    public static SemVersion Parse(string text) =>
        TryParse(text, out var version)
            ? version
            : throw new FormatException($"'{text}' is not a SemVer 2.0 version (expected MAJOR.MINOR.PATCH[-pre-release][+build], optionally with a leading 'v').");

    public static bool TryParse(string? text, out SemVersion version)
    {
        version = null!;
        if (text is null)
        {
            return false;
        }

        var match = Grammar().Match(text);
        if (!match.Success)
        {
            return false;
        }

        if (!ulong.TryParse(match.Groups["major"].Value, out var major)
            || !ulong.TryParse(match.Groups["minor"].Value, out var minor)
            || !ulong.TryParse(match.Groups["patch"].Value, out var patch))
        {
            return false;
        }

        var pre = match.Groups["pre"].Success ? match.Groups["pre"].Value.Split('.') : [];
        version = new SemVersion(text, match.Groups["v"].Success, major, minor, patch, pre, match.Groups["build"].Value);
        return true;
    }

    public int CompareTo(SemVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var core = Major.CompareTo(other.Major);
        if (core == 0)
        {
            core = Minor.CompareTo(other.Minor);
        }

        if (core == 0)
        {
            core = Patch.CompareTo(other.Patch);
        }

        if (core != 0)
        {
            return core;
        }

        // A release outranks any of its pre-releases.
        if (PreRelease.Count == 0 || other.PreRelease.Count == 0)
        {
            return other.PreRelease.Count.CompareTo(0) - PreRelease.Count.CompareTo(0);
        }

        for (var i = 0; i < Math.Min(PreRelease.Count, other.PreRelease.Count); i++)
        {
            var compared = CompareIdentifiers(PreRelease[i], other.PreRelease[i]);
            if (compared != 0)
            {
                return compared;
            }
        }

        return PreRelease.Count.CompareTo(other.PreRelease.Count);
    }

    public bool Equals(SemVersion? other) => other is not null && CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is SemVersion other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Major, Minor, Patch, string.Join('.', PreRelease));

    public static bool operator <(SemVersion left, SemVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(SemVersion left, SemVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(SemVersion left, SemVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(SemVersion left, SemVersion right) => left.CompareTo(right) >= 0;

    private static int CompareIdentifiers(string left, string right)
    {
        var leftNumeric = left.All(char.IsAsciiDigit);
        var rightNumeric = right.All(char.IsAsciiDigit);
        if (leftNumeric && rightNumeric)
        {
            // Compare by length first so identifiers longer than any integer type still order correctly.
            var byLength = left.Length.CompareTo(right.Length);
            return byLength != 0 ? byLength : string.CompareOrdinal(left, right);
        }

        // Numeric identifiers always have lower precedence than alphanumeric ones.
        if (leftNumeric != rightNumeric)
        {
            return leftNumeric ? -1 : 1;
        }

        return Math.Sign(string.CompareOrdinal(left, right));
    }

    [GeneratedRegex(
        @"^(?<v>v)?(?<major>0|[1-9][0-9]*)\.(?<minor>0|[1-9][0-9]*)\.(?<patch>0|[1-9][0-9]*)"
        + @"(?:-(?<pre>(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
        + @"(?:\+(?<build>[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
