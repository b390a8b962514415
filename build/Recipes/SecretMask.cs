using System.Text.RegularExpressions;

namespace Lading.Recipes;

/// <summary>
/// Secret values read from the environment, and passwords written inside URLs (https://user:password@host); every log
/// line and summary passes through <see cref="Apply"/>.
/// </summary>
public sealed partial class SecretMask
{
    public const string Hidden = "***";
    private readonly object _gate = new();
    private string[] _secrets = [];

    public void Add(string? secret)
    {
        // Very short values would mask ordinary words; such secrets are refused where they are read.
        if (string.IsNullOrEmpty(secret) || secret.Length < 4)
        {
            return;
        }

        lock (_gate)
        {
            if (!_secrets.Contains(secret))
            {
                _secrets = [.. _secrets.Append(secret).OrderByDescending(s => s.Length)];
            }
        }
    }

    public string Apply(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Hidden, StringComparison.Ordinal);
        }

        return text.Contains("://", StringComparison.Ordinal) ? UrlPassword().Replace(text, "$1" + Hidden + "@") : text;
    }

    // scheme://user:password@ — the user stays readable, the password never is.
    [GeneratedRegex(@"(\b[A-Za-z][A-Za-z0-9+.-]*://[^\s/@:]+:)[^\s/@]+@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlPassword();
}
