using System.Formats.Tar;

namespace Lading.Common;

/// <summary>
/// Extracts a tar into a folder, refusing every entry that could write outside it: absolute names, <c>..</c>,
/// links leading out, writes through a symbolic link, and device or pipe entries. Hard-link entries become hard links.
/// </summary>
public static class SafeTarExtractor
{
    private const UnixFileMode Permissions = (UnixFileMode)0b111_111_111;

    public static async Task<TarExtractResult> ExtractAsync(Stream tar, string destination, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(destination);
        Directory.CreateDirectory(root);
        var result = new TarExtractResult();
        await using var reader = new TarReader(tar, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            // A PAX global header (git archive writes one with the commit id) describes the archive, not a file.
            if (entry.EntryType == TarEntryType.GlobalExtendedAttributes)
            {
                continue;
            }

            var path = Resolve(root, entry.Name, entry.Name);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    if (path == root)
                    {
                        continue;
                    }

                    RefuseSymbolicLinkAt(root, entry.Name, path);
                    Directory.CreateDirectory(path);
                    break;

                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    PrepareFile(root, entry.Name, path);
                    await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true))
                    {
                        if (entry.DataStream is { } data)
                        {
                            await data.CopyToAsync(file, cancellationToken);
                        }
                    }

                    UnixFile.SetMode(path, entry.Mode & Permissions);
                    result.Files++;
                    break;

                case TarEntryType.HardLink:
                    var target = Resolve(root, entry.LinkName, entry.Name);
                    if (!File.Exists(target) || new FileInfo(target).LinkTarget is not null || HasSymbolicLinkParent(root, target))
                    {
                        throw Unsafe(entry.Name, $"it is a hard link to '{entry.LinkName}', which is not a file extracted before it");
                    }

                    PrepareFile(root, entry.Name, path);
                    var errno = UnixFile.TryLink(target, path);
                    if (errno != 0)
                    {
                        throw new PackageTarException($"Cannot extract '{entry.Name}' as a hard link to '{entry.LinkName}': {UnixFile.Describe(errno)}.");
                    }

                    result.HardLinks++;
                    break;

                case TarEntryType.SymbolicLink:
                    var linkTarget = entry.LinkName;
                    var resolved = Path.GetFullPath(linkTarget, Path.GetDirectoryName(path)!);
                    if (Path.IsPathRooted(linkTarget) || !IsInside(root, resolved))
                    {
                        throw Unsafe(entry.Name, $"it is a symbolic link to '{linkTarget}', outside the destination");
                    }

                    PrepareFile(root, entry.Name, path);
                    File.CreateSymbolicLink(path, linkTarget);
                    result.SymbolicLinks++;
                    break;

                default:
                    throw Unsafe(entry.Name, $"it is a {entry.EntryType} entry; a package holds only files, folders and links");
            }
        }

        return result;
    }

    public static async Task<TarExtractResult> ExtractFileAsync(string tarPath, string destination, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(tarPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        return await ExtractAsync(file, destination, cancellationToken);
    }

    private static string Resolve(string root, string name, string entryName)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('\0'))
        {
            throw Unsafe(entryName, "its name is empty or holds a NUL character");
        }

        if (name.StartsWith('/') || Path.IsPathRooted(name))
        {
            throw Unsafe(entryName, $"'{name}' is an absolute path");
        }

        if (name.Split('/').Any(part => part == ".."))
        {
            throw Unsafe(entryName, $"'{name}' climbs out with '..'");
        }

        var full = Path.GetFullPath(Path.Combine(root, name));
        var trimmed = full.TrimEnd(Path.DirectorySeparatorChar);
        if (trimmed != root && !IsInside(root, trimmed))
        {
            throw Unsafe(entryName, $"'{name}' lands outside the destination");
        }

        return trimmed;
    }

    /// <summary>Clears the way for a new file: no write may pass through a symbolic link or into an existing file's inode.</summary>
    private static void PrepareFile(string root, string name, string path)
    {
        if (HasSymbolicLinkParent(root, path))
        {
            throw Unsafe(name, "a folder on its path is a symbolic link");
        }

        var existing = new FileInfo(path);
        if (existing.Exists || existing.LinkTarget is not null)
        {
            // Deleting first means an earlier hard link (perhaps into a store) is never written through.
            existing.Delete();
        }
        else if (Directory.Exists(path))
        {
            throw Unsafe(name, "a folder of that name was extracted before it");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    }

    private static void RefuseSymbolicLinkAt(string root, string name, string path)
    {
        if (HasSymbolicLinkParent(root, path) || new DirectoryInfo(path).LinkTarget is not null)
        {
            throw Unsafe(name, "a folder on its path is a symbolic link");
        }
    }

    private static bool HasSymbolicLinkParent(string root, string path)
    {
        for (var folder = Path.GetDirectoryName(path); folder is not null && folder.Length > root.Length; folder = Path.GetDirectoryName(folder))
        {
            if (new DirectoryInfo(folder).LinkTarget is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsInside(string root, string path) =>
        path == root || path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static UnsafeTarEntryException Unsafe(string name, string reason) => new(name, reason);
}

public sealed class TarExtractResult
{
    public int Files { get; internal set; }

    public int HardLinks { get; internal set; }

    public int SymbolicLinks { get; internal set; }
}

/// <summary>A tar entry that would write outside the destination; extraction stops at it.</summary>
public sealed class UnsafeTarEntryException(string entry, string reason)
    : PackageTarException($"The archive entry '{entry}' was refused: {reason}. Extraction stopped; nothing was written outside the destination.")
{
    public string Entry { get; } = entry;
}
