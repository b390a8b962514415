namespace Lading.Images.Registry;

/// <summary>Which platforms of a manifest list to take: a set like linux/amd64,linux/arm64/v8, or all of them.</summary>
public sealed class PlatformSelection
{
    private PlatformSelection(IReadOnlyList<Platform> wanted) => Wanted = wanted;

    public static PlatformSelection All { get; } = new([]);

    /// <summary>The platforms asked for; empty means all.</summary>
    public IReadOnlyList<Platform> Wanted { get; }

    public bool IsAll => Wanted.Count == 0;

    public static PlatformSelection Of(params Platform[] platforms) =>
        platforms.Length == 0 ? throw new ArgumentException("At least one platform is required; use PlatformSelection.All for all.") : new(platforms);

    /// <summary>Parses <c>linux/amd64,linux/arm64/v8</c> or <c>all</c>.</summary>
    public static PlatformSelection Parse(string text)
    {
        if (string.Equals(text.Trim(), "all", StringComparison.OrdinalIgnoreCase))
        {
            return All;
        }

        var platforms = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParsePlatform).Distinct().ToArray();
        return platforms.Length == 0 ? throw new FormatException("No platform given (expected e.g. linux/amd64,linux/arm64 or all).") : new(platforms);
    }

    /// <summary>Parses one <c>os/architecture[/variant]</c>.</summary>
    public static Platform ParsePlatform(string text)
    {
        var parts = text.Trim().Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(string.IsNullOrWhiteSpace))
        {
            throw new FormatException($"'{text}' is not a platform (expected os/architecture[/variant], e.g. linux/arm64/v8).");
        }

        return new Platform(parts[0].ToLowerInvariant(), parts[1].ToLowerInvariant(), parts.Length == 3 ? parts[2].ToLowerInvariant() : null);
    }

    public bool Accepts(Platform? offered) => IsAll || (offered is not null && Wanted.Any(w => Matches(w, offered)));

    /// <summary>Whether a list entry satisfies a wanted platform; a wanted platform without variant accepts any variant.</summary>
    public static bool Matches(Platform wanted, Platform offered) =>
        string.Equals(wanted.Os, offered.Os, StringComparison.OrdinalIgnoreCase)
        && string.Equals(wanted.Architecture, offered.Architecture, StringComparison.OrdinalIgnoreCase)
        && (wanted.Variant is null || string.Equals(NormalVariant(wanted), NormalVariant(offered), StringComparison.OrdinalIgnoreCase));

    public override string ToString() => IsAll ? "all" : string.Join(',', Wanted);

    // arm64 images usually omit their only variant, v8.
    private static string? NormalVariant(Platform p) => p.Variant ?? (p.Architecture == "arm64" ? "v8" : null);
}
