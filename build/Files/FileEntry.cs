namespace Lading.Files;

/// <summary>One file to fetch: its URL, its place under files/, and the sha256 it must have when the list gives one.</summary>
public sealed record FileEntry
{
    private FileEntry(Uri url, string relativePath, string? sha256, string where)
    {
        Url = url;
        RelativePath = relativePath;
        Sha256 = sha256;
        Where = where;
    }

    public Uri Url { get; }

    /// <summary><c>&lt;host&gt;/&lt;path&gt;</c> with '/' separators, e.g. <c>dl.k8s.io/release/v1.29.0/bin/linux/amd64/kubelet</c>.</summary>
    public string RelativePath { get; }

    /// <summary>64 lowercase hex digits, or null when nothing says what the file must hash to.</summary>
    public string? Sha256 { get; internal init; }

    /// <summary>Where the entry came from (<c>files.list:12</c>), for messages.</summary>
    public string Where { get; }

    /// <summary>An entry for a URL, refusing what <see cref="FileLayout"/> refuses.</summary>
    public static FileEntry Create(string url, string? sha256 = null, string? where = null)
    {
        if (!FileLayout.TryRelativePath(url, out var uri, out var relativePath, out var problem))
        {
            throw new ArgumentException(problem, nameof(url));
        }

        if (sha256 is not null && !Checksums.IsSha256(sha256))
        {
            throw new ArgumentException($"'{sha256}' is not a sha256 (64 hex digits).", nameof(sha256));
        }

        return new FileEntry(uri!, relativePath, sha256?.ToLowerInvariant(), where ?? url);
    }

    internal static FileEntry Checked(Uri url, string relativePath, string? sha256, string where) => new(url, relativePath, sha256, where);
}
