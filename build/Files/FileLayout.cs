using System.Text.RegularExpressions;

namespace Lading.Files;

/// <summary>
/// Where a downloaded file goes under files/: <c>&lt;host&gt;[:port]/&lt;path&gt;</c>, as <c>wget -x</c> lays it out,
/// so Kubespray's files_repo (the URL with its scheme replaced by the repo) finds it.
/// </summary>
public static partial class FileLayout
{
    /// <summary>The relative path (with '/' separators) for a URL, or why the URL is refused.</summary>
    public static bool TryRelativePath(string url, out Uri? uri, out string relativePath, out string problem)
    {
        uri = null;
        relativePath = string.Empty;
        problem = string.Empty;
        if (url.Contains('\\') || url.Any(char.IsControl))
        {
            problem = $"'{url}' holds a backslash or a control character";
            return false;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
        {
            problem = $"'{url}' is not an http or https URL";
            return false;
        }

        if (!string.IsNullOrEmpty(parsed.UserInfo))
        {
            problem = "a URL in a list must not carry credentials";
            return false;
        }

        var host = parsed.IdnHost.ToLowerInvariant();
        if (!HostName().IsMatch(host))
        {
            problem = $"host '{parsed.Host}' cannot be a folder name under files/";
            return false;
        }

        if (!string.IsNullOrEmpty(parsed.Fragment))
        {
            problem = "a URL in a list must not have a #fragment";
            return false;
        }

        // Uri quietly resolves "a/../b", so the segments are checked in the text as written.
        var afterAuthority = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var slash = afterAuthority.IndexOf('/');
        var rawPath = slash < 0 ? string.Empty : afterAuthority[slash..];
        var end = rawPath.IndexOfAny(['?', '#']);
        if (end >= 0)
        {
            rawPath = rawPath[..end];
        }

        var segments = rawPath.Split('/').Skip(1).Select(Uri.UnescapeDataString).ToList();
        if (segments.Count == 0 || segments[^1].Length == 0)
        {
            problem = $"'{url}' does not end in a file name";
            return false;
        }

        if (segments.Any(s => s is "" or "." or ".." || s.Contains('/') || s.Contains('\\') || s.Contains('\0')))
        {
            problem = $"'{url}' has an empty, '.' or '..' path segment that would escape or blur the files/ layout";
            return false;
        }

        var authority = parsed.IsDefaultPort ? host : $"{host}:{parsed.Port}";
        uri = parsed;
        relativePath = authority + "/" + string.Join('/', segments);
        return true;
    }

    /// <summary>The file's place under <paramref name="filesFolder"/>, checked to stay inside it.</summary>
    public static string PathUnder(string filesFolder, string relativePath)
    {
        var root = Path.GetFullPath(filesFolder);
        var full = Path.GetFullPath(Path.Combine(root, relativePath.Replace('/', Path.DirectorySeparatorChar)));
        if (!full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{relativePath}' would leave {filesFolder}.", nameof(relativePath));
        }

        return full;
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9_-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9_-]*[a-z0-9])?)*$")]
    private static partial Regex HostName();
}
