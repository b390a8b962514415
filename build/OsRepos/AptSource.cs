namespace Lading.OsRepos;

/// <summary>
/// One apt source of a target: <c>deb [signed-by=&lt;keyring&gt;] &lt;url&gt; &lt;suite&gt; &lt;components&gt;</c>, or a flat
/// repository (<c>deb [trusted=yes] &lt;url&gt; ./</c>, a suite ending in '/' and no components).
/// </summary>
public sealed record AptSource(Uri Uri, string Suite, IReadOnlyList<string> Components, string? SignedBy = null, bool Trusted = false)
{
    public bool IsFlat => Suite.EndsWith('/');

    /// <summary>The sources.list line, with <paramref name="keyring"/> in place of <see cref="SignedBy"/> (the copy inside the isolated root).</summary>
    public string ToSourcesLine(string architecture, string? keyring = null)
    {
        var options = new List<string> { $"arch={architecture}" };
        if (Trusted)
        {
            options.Add("trusted=yes");
        }

        if ((keyring ?? SignedBy) is { } key)
        {
            options.Add($"signed-by={key}");
        }

        var words = new List<string> { "deb", $"[{string.Join(' ', options)}]", Uri.AbsoluteUri, Suite };
        words.AddRange(Components);
        return string.Join(' ', words);
    }

    /// <summary>Reads a sources.list line: <c>deb [option=value ...] url suite [component ...]</c>.</summary>
    /// <exception cref="OsRepoException">The line is not one apt source, with the reason.</exception>
    public static AptSource Parse(string line, string where)
    {
        var text = line.Trim();
        if (!text.StartsWith("deb ", StringComparison.Ordinal))
        {
            throw new OsRepoException(where, $"'{line}' is not an apt source: it starts with 'deb ' (deb-src is not packaged)");
        }

        text = text[4..].TrimStart();
        string? signedBy = null;
        var trusted = false;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new OsRepoException(where, $"'{line}' opens '[' for options and never closes it");
            }

            foreach (var option in text[1..close].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var (key, value) = option.IndexOf('=') is var at and > 0 ? (option[..at], option[(at + 1)..]) : (option, string.Empty);
                switch (key)
                {
                    case "signed-by":
                        signedBy = value;
                        break;
                    case "trusted":
                        trusted = value == "yes";
                        break;
                    case "arch":
                        // The target's architecture decides; a per-line arch would contradict it silently.
                        break;
                    default:
                        throw new OsRepoException(where, $"apt source option '{key}' is not supported (signed-by, trusted, arch are)");
                }
            }

            text = text[(close + 1)..];
        }

        var words = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        // apt's usual file:/path spelling is not an absolute URI to .NET; file:///path means the same to both.
        var address = words.Length > 0 && words[0].StartsWith("file:/", StringComparison.Ordinal) && !words[0].StartsWith("file://", StringComparison.Ordinal)
            ? "file://" + words[0][5..]
            : words.FirstOrDefault() ?? string.Empty;
        if (words.Length < 2 || !Uri.TryCreate(address, UriKind.Absolute, out var uri))
        {
            throw new OsRepoException(where, $"'{line}' needs a URL and a suite after 'deb'");
        }

        var source = new AptSource(uri, words[1], words[2..], signedBy, trusted);
        source.Validate(where);
        return source;
    }

    /// <exception cref="OsRepoException">What apt would not accept, or what could break out of the sources file.</exception>
    public void Validate(string where)
    {
        if (Uri.Scheme is not ("http" or "https" or "file"))
        {
            throw new OsRepoException(where, $"{Uri} is not an http, https or file URL");
        }

        if (IsFlat && Components.Count > 0)
        {
            throw new OsRepoException(where, $"a flat repository ('{Suite}') takes no components, but {string.Join(' ', Components)} were given");
        }

        if (!IsFlat && Components.Count == 0)
        {
            throw new OsRepoException(where, $"suite '{Suite}' needs components (main, contrib...)");
        }

        foreach (var word in Components.Prepend(Suite).Append(SignedBy ?? "-"))
        {
            if (word.Length == 0 || word.Any(c => char.IsWhiteSpace(c) || c is '[' or ']' or '#' || char.IsControl(c)))
            {
                throw new OsRepoException(where, $"'{word}' cannot be written in a sources.list line");
            }
        }
    }
}
