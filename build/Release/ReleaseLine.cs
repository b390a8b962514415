using System.Text.RegularExpressions;

namespace Lading.Release;

/// <summary>
/// A component's release line, named by its baseVersion (v1.2, controller-v1.14, release/v2.0): the tags that equal it
/// or continue it with '.' or '-'. v1.2 holds v1.2.0 and v1.2.3-rc.1, never v1.20.5.
/// </summary>
public sealed partial class ReleaseLine
{
    public ReleaseLine(string baseVersion)
    {
        if (string.IsNullOrWhiteSpace(baseVersion))
        {
            throw new ArgumentException("A release line needs a baseVersion such as v1.2.", nameof(baseVersion));
        }

        BaseVersion = baseVersion;

        // The family prefix is what precedes the version digits: "controller-" in controller-v1.14, "" in v1.2.
        var version = TrailingVersion().Match(baseVersion);
        Prefix = version.Success ? baseVersion[..version.Index] : baseVersion;
    }

    public string BaseVersion { get; }

    /// <summary>The tag family's prefix, stripped before a tag is read as a version.</summary>
    public string Prefix { get; }

    public bool Contains(string tag) =>
        tag == BaseVersion
        || (tag.Length > BaseVersion.Length
            && tag.StartsWith(BaseVersion, StringComparison.Ordinal)
            && tag[BaseVersion.Length] is '.' or '-');

    /// <summary>The SemVer a tag on this line carries once the family prefix is removed; false when it has none.</summary>
    public bool TryReadVersion(string tag, out SemVersion version)
    {
        version = null!;
        return Contains(tag) && SemVersion.TryParse(tag[Prefix.Length..], out version);
    }

    public override string ToString() => BaseVersion;

    [GeneratedRegex(@"v?(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*)){0,2}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TrailingVersion();
}
