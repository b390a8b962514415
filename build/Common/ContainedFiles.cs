namespace Lading.Common;

/// <summary>
/// The one checked way to take files out of a tree Lading does not control (the release repo, a component repo, an OCI
/// layout): a symbolic link is followed only while it stays inside the tree, and only regular files are read, so a
/// link to <c>/etc/passwd</c> or <c>/dev/zero</c> never ends up in a package or the store.
/// </summary>
public static class ContainedFiles
{
    /// <summary>
    /// The real path of <paramref name="relative"/> under <paramref name="root"/>, every link on the way resolved; refused
    /// when it leads outside the tree, is broken or loops. The path need not exist when no link is on the way.
    /// </summary>
    public static string Resolve(string root, string relative)
    {
        var realRoot = RealPath(Path.GetFullPath(root), root, ".");
        var full = Path.GetFullPath(relative, realRoot);
        if (!IsInside(realRoot, full))
        {
            throw new ContainedFileException(root, relative, "it names a path outside the folder");
        }

        // Resolve the longest part that exists; what does not exist yet has no link on it.
        var existing = full;
        var rest = string.Empty;
        while (!Path.Exists(existing) && !IsLink(existing) && existing.Length > realRoot.Length)
        {
            rest = rest.Length == 0 ? Path.GetFileName(existing) : Path.Combine(Path.GetFileName(existing), rest);
            existing = Path.GetDirectoryName(existing)!;
        }

        var real = RealPath(existing, root, relative);
        if (!IsInside(realRoot, real))
        {
            var link = FirstLink(realRoot, full);
            throw new ContainedFileException(root, relative,
                link is null ? "it leads outside the folder" : $"{Path.GetRelativePath(realRoot, link.Value.Path)} is a symbolic link to '{link.Value.Target}', outside the folder");
        }

        return rest.Length == 0 ? real : Path.Combine(real, rest);
    }

    /// <summary>The real path of a file that must exist and be a regular file inside the tree (not a device, pipe or folder).</summary>
    public static string RegularFile(string root, string relative)
    {
        var real = Resolve(root, relative);
        if (!File.Exists(real) && !Directory.Exists(real))
        {
            throw new ContainedFileException(root, relative, "it does not exist");
        }

        if (!UnixFile.Stat(real).IsRegularFile)
        {
            throw new ContainedFileException(root, relative, "it is not a regular file");
        }

        return real;
    }

    /// <summary>Opens a regular file inside the tree for reading.</summary>
    public static FileStream OpenRead(string root, string relative) =>
        new(RegularFile(root, relative), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);

    /// <summary>
    /// Copies one file of the tree to <paramref name="destination"/> (through a temporary name), keeping its execute
    /// bits; false when the file does not exist.
    /// </summary>
    public static bool CopyFile(string root, string relative, string destination)
    {
        var real = Resolve(root, relative);
        if (!File.Exists(real))
        {
            return false;
        }

        Place(RegularFile(root, relative), destination);
        return true;
    }

    /// <summary>
    /// Copies a folder of the tree to <paramref name="destination"/>, links inside the tree followed (a folder met twice
    /// through links is refused as a loop); returns the files copied, relative to the destination. Nothing is copied
    /// when any file is refused.
    /// </summary>
    public static IReadOnlyList<string> CopyFolder(string root, string relative, string destination)
    {
        var files = FilesUnder(root, relative);
        foreach (var (path, real) in files)
        {
            Place(real, Path.Combine(destination, path));
        }

        return files.Select(f => f.Path).ToList();
    }

    /// <summary>Every file under a folder of the tree (relative to that folder) with its real path, checked before any is used.</summary>
    public static IReadOnlyList<(string Path, string Real)> FilesUnder(string root, string relative)
    {
        var files = new List<(string, string)>();
        var start = Resolve(root, relative);
        if (!Directory.Exists(start))
        {
            return files;
        }

        Walk(root, relative, string.Empty, [start], files);
        return files;
    }

    private static void Walk(string root, string folder, string prefix, List<string> ancestors, List<(string, string)> files)
    {
        foreach (var name in Directory.EnumerateFileSystemEntries(Resolve(root, folder)).Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            var relative = Path.Combine(folder, name!);
            var inPackage = prefix.Length == 0 ? name! : Path.Combine(prefix, name!);
            var real = Resolve(root, relative);
            if (Directory.Exists(real))
            {
                if (ancestors.Any(a => a == real || IsInside(real, a)))
                {
                    throw new ContainedFileException(root, relative, "it is a symbolic link to a folder that contains it (a loop)");
                }

                Walk(root, relative, inPackage, [.. ancestors, real], files);
            }
            else
            {
                files.Add((inPackage, RegularFile(root, relative)));
            }
        }
    }

    private static void Place(string real, string destination)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        var temporary = destination + $".{Guid.NewGuid():N}.tmp";
        try
        {
            File.Copy(real, temporary);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, File.GetUnixFileMode(real));
            }
            File.Move(temporary, destination, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private static string RealPath(string path, string root, string relative)
    {
        var real = UnixFile.RealPath(path, out var errno);
        return real ?? throw new ContainedFileException(root, relative, errno == UnixFile.ELOOP
            ? "its symbolic links loop"
            : $"it cannot be resolved ({UnixFile.Describe(errno)}; a broken symbolic link?)");
    }

    /// <summary>The first symbolic link on the way from the root to a path, for the message.</summary>
    private static (string Path, string Target)? FirstLink(string realRoot, string full)
    {
        var path = realRoot;
        foreach (var part in Path.GetRelativePath(realRoot, full).Split(Path.DirectorySeparatorChar))
        {
            path = Path.Combine(path, part);
            if (new FileInfo(path).LinkTarget is { } target)
            {
                return (path, target);
            }
        }

        return null;
    }

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    private static bool IsInside(string root, string path)
    {
        var relative = Path.GetRelativePath(root, path);
        return relative == "." || (relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }
}

/// <summary>A file taken from a tree is refused: it leads outside through a symbolic link, or is no regular file.</summary>
public sealed class ContainedFileException(string root, string relative, string reason)
    : IOException($"{relative.Replace(Path.DirectorySeparatorChar, '/')} in {root}: {reason}; refused.")
{
    public string Root { get; } = root;

    public string Relative { get; } = relative;
}
