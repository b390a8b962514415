namespace Cake.Frosting;

/// <summary>The closest of some names to a mistyped one, for "did you mean" in every refusal.</summary>
public static class DidYouMean
{
    /// <summary>The candidate nearest to <paramref name="typed"/> (ignoring case), or null when none is near enough to be meant.</summary>
    public static string? Closest(string typed, IEnumerable<string> candidates)
    {
        var lower = typed.ToLowerInvariant();
        var best = candidates
            .Select(c => (Name: c, Distance: Distance(lower, c.ToLowerInvariant())))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Name is not null && best.Distance <= Math.Max(2, typed.Length / 3) ? best.Name : null;
    }

    /// <summary>" (did you mean 'x'?)", or nothing when no candidate is near.</summary>
    public static string Hint(string typed, IEnumerable<string> candidates, string prefix = "") =>
        Closest(typed, candidates) is { } closest ? $" (did you mean '{prefix}{closest}'?)" : string.Empty;

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    public static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var previous = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }

        return row[b.Length];
    }
}
