namespace Lading.Images;

/// <summary>Which platforms of a multi-arch image a package keeps (<c>--platform=linux/amd64,linux/arm64</c> or <c>all</c>).</summary>
public static class PlatformFilter
{
    /// <summary>A predicate for platform manifests; null keeps every platform. A manifest without platform is always kept.</summary>
    public static Func<Platform?, bool>? Parse(IEnumerable<string> platforms)
    {
        var wanted = platforms.Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
        if (wanted.Count == 0 || wanted.Any(p => p.Equals("all", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var parsed = wanted.Select(ParseOne).ToList();
        return platform => platform is null || parsed.Any(p =>
            p.Os == platform.Os && p.Architecture == platform.Architecture && (p.Variant is null || p.Variant == platform.Variant));
    }

    public static Platform ParseOne(string text)
    {
        var parts = text.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0))
        {
            throw new FormatException($"'{text}' is not a platform: write os/architecture[/variant], such as linux/amd64 or linux/arm64/v8, or all.");
        }

        return new Platform(parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
    }
}
