using Lading.Images;

namespace Lading.Benchmark;

/// <summary>
/// A file as it was at one moment: its inode and modification time. A file written later may get the inode number of
/// one deleted meanwhile, never its modification time too.
/// </summary>
public readonly record struct FileVersion(FileIdentity Identity, DateTime Modified);

/// <summary>Bytes on disk under folders, as du counts them: each hard-linked file once.</summary>
public static class DiskUsage
{
    /// <summary>
    /// The bytes of every regular file under <paramref name="folders"/>, each inode once, leaving out the files in
    /// <paramref name="existing"/> (those were there before, so nobody wrote them now).
    /// </summary>
    public static long Of(IEnumerable<string> folders, IReadOnlySet<FileVersion>? existing = null)
    {
        var seen = new HashSet<FileIdentity>();
        var total = 0L;
        foreach (var (version, size) in folders.SelectMany(Files))
        {
            if ((existing is null || !existing.Contains(version)) && seen.Add(version.Identity))
            {
                total += size;
            }
        }

        return total;
    }

    /// <summary>The bytes free for this user on the file system holding <paramref name="folder"/> (or its nearest existing parent).</summary>
    public static long FreeBytes(string folder)
    {
        var existing = Path.GetFullPath(folder);
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
        {
            existing = parent;
        }

        return new DriveInfo(existing).AvailableFreeSpace;
    }

    /// <summary>Which files a folder holds now, to leave out of a later count.</summary>
    public static HashSet<FileVersion> Versions(string folder) => Files(folder).Select(f => f.Version).ToHashSet();

    private static IEnumerable<(FileVersion Version, long Size)> Files(string folder)
    {
        if (!Directory.Exists(folder))
        {
            yield break;
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
        foreach (var file in Directory.EnumerateFiles(folder, "*", options))
        {
            var stat = UnixFile.Stat(file);
            if (stat.IsRegularFile)
            {
                yield return (new FileVersion(stat.Identity, File.GetLastWriteTimeUtc(file)), stat.Size);
            }
        }
    }
}
