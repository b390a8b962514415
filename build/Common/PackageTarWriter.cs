using System.Formats.Tar;

namespace Lading.Common;

/// <summary>
/// Writes a folder as a tar in which each file's bytes appear once: a further path of the same file (a hard link, as
/// blobs are in package layouts) becomes a hard-link entry. The output is deterministic: entries sorted, one fixed
/// time, owner 0:0, modes 0755/0644.
/// </summary>
public static class PackageTarWriter
{
    /// <summary>The entry time when the caller gives none: 2000-01-01, a stable time every tar reader accepts.</summary>
    public static readonly DateTimeOffset DefaultTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const UnixFileMode DirectoryMode = (UnixFileMode)0b111_101_101;
    private const UnixFileMode FileMode = (UnixFileMode)0b110_100_100;
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>
    /// Writes every entry under <paramref name="folder"/> into <paramref name="output"/>, named relative to it (under
    /// <paramref name="prefix"/> when given). A symbolic link that leads outside the folder is refused.
    /// </summary>
    public static async Task<TarWriteResult> WriteAsync(
        string folder,
        Stream output,
        CancellationToken cancellationToken,
        string? prefix = null,
        DateTimeOffset? time = null)
    {
        var root = Path.GetFullPath(folder);
        if (!Directory.Exists(root))
        {
            throw new PackageTarException($"Cannot write a tar of '{root}': the folder does not exist.");
        }

        var stamp = (time ?? DefaultTime).ToUniversalTime();
        var first = new Dictionary<FileIdentity, string>();
        var result = new TarWriteResult();
        await using var writer = new TarWriter(output, TarEntryFormat.Gnu, leaveOpen: true);
        foreach (var path in Walk(root))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
            var name = string.IsNullOrEmpty(prefix) ? relative : $"{prefix.TrimEnd('/')}/{relative}";
            var info = new FileInfo(path);
            var stat = UnixFile.Stat(path);
            GnuTarEntry entry;
            if (info.LinkTarget is { } target)
            {
                CheckInside(root, path, target);
                entry = NewEntry(TarEntryType.SymbolicLink, name, stamp, FileMode | AnyExecute);
                entry.LinkName = target;
            }
            else if (info.Attributes.HasFlag(FileAttributes.Directory))
            {
                entry = NewEntry(TarEntryType.Directory, name + "/", stamp, DirectoryMode);
            }
            else if (!stat.IsRegularFile)
            {
                throw new PackageTarException($"Cannot put '{path}' in a package: it is not a file, folder or symbolic link.");
            }
            else if (first.TryGetValue(stat.Identity, out var firstName))
            {
                entry = NewEntry(TarEntryType.HardLink, name, stamp, ModeOf(info));
                entry.LinkName = firstName;
                result.HardLinks++;
            }
            else
            {
                entry = NewEntry(TarEntryType.RegularFile, name, stamp, ModeOf(info));
                if (stat.LinkCount > 1)
                {
                    first[stat.Identity] = name;
                }

                // Copied with plain reads and writes: on Linux every async file read is a thread-pool hop, a quarter
                // of the CPU a gigabyte package took.
                using var data = new FileStream(path, System.IO.FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
                entry.DataStream = data;
                writer.WriteEntry(entry);
                result.Files++;
                result.Bytes += data.Length;
                continue;
            }

            await writer.WriteEntryAsync(entry, cancellationToken);
        }

        return result;
    }

    /// <summary>Writes the tar to a file, atomically: a reader never finds half a package under the final name.</summary>
    public static async Task<TarWriteResult> WriteFileAsync(string folder, string tarPath, CancellationToken cancellationToken, string? prefix = null, DateTimeOffset? time = null)
    {
        var full = Path.GetFullPath(tarPath);
        var root = Path.GetFullPath(folder);
        if (full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new PackageTarException($"The tar '{full}' cannot be written inside the folder it packs ('{root}').");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = TemporaryFile.Beside(full);
        try
        {
            TarWriteResult result;
            await using (var file = new FileStream(temporary, System.IO.FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                // Hashed on the way out: the .sha256 beside a package needs no second read of gigabytes.
                await using var hashing = new HashingWriteStream(file);
                result = await WriteAsync(folder, hashing, cancellationToken, prefix, time);
                result.Sha256 = hashing.Digest();
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
            return result;
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private static GnuTarEntry NewEntry(TarEntryType type, string name, DateTimeOffset stamp, UnixFileMode mode) =>
        new(type, name)
        {
            // GNU rather than PAX: .NET names each PAX extended header after the writing process id, so bytes would vary.
            ModificationTime = stamp,
            Mode = mode,
            Uid = 0,
            Gid = 0,
            UserName = string.Empty,
            GroupName = string.Empty,
        };

    private static UnixFileMode ModeOf(FileInfo file) =>
        (file.UnixFileMode & AnyExecute) != 0 ? FileMode | AnyExecute : FileMode;

    /// <summary>Every path under the root, sorted by ordinal name, so a folder always comes before what it holds.</summary>
    private static IEnumerable<string> Walk(string root)
    {
        var pending = new List<string>();
        var stack = new Stack<string>([root]);
        while (stack.Count > 0)
        {
            var folder = stack.Pop();
            foreach (var child in Directory.EnumerateFileSystemEntries(folder))
            {
                pending.Add(child);
                var info = new DirectoryInfo(child);
                if (info.Attributes.HasFlag(FileAttributes.Directory) && info.LinkTarget is null)
                {
                    stack.Push(child);
                }
            }
        }

        return pending.Select(p => (Path: p, Key: Path.GetRelativePath(root, p).Replace(Path.DirectorySeparatorChar, '/')))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => p.Path);
    }

    private static void CheckInside(string root, string link, string target)
    {
        var resolved = Path.GetFullPath(target, Path.GetDirectoryName(link)!);
        if (Path.IsPathRooted(target) || !(resolved + Path.DirectorySeparatorChar).StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new PackageTarException($"Cannot put '{link}' in a package: it links to '{target}', outside '{root}'. Make it a relative link inside the package or copy the file in.");
        }
    }
}

/// <summary>What a package tar holds: files with bytes, hard links to them, and the bytes written once.</summary>
public sealed class TarWriteResult
{
    public int Files { get; internal set; }

    public int HardLinks { get; internal set; }

    public long Bytes { get; internal set; }

    /// <summary>The digest of the tar file, when it was written as a file.</summary>
    public Digest? Sha256 { get; internal set; }
}

/// <summary>A folder cannot be written as a package tar, or a tar cannot be read safely.</summary>
public class PackageTarException(string message) : Exception(message);
