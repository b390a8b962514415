using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Lading.Common;

/// <summary>Which file a path is, as the kernel sees it: two paths with one identity are hard links of one file.</summary>
public readonly record struct FileIdentity(ulong Device, ulong Inode)
{
    /// <summary>The identity of the file at <paramref name="path"/> (not following a final symbolic link).</summary>
    public static FileIdentity Of(string path) => UnixFile.Stat(path).Identity;
}

/// <summary>What statx reports about one path.</summary>
internal readonly record struct UnixStat(FileIdentity Identity, uint LinkCount, uint Mode, long Size)
{
    public bool IsRegularFile => (Mode & 0xF000) == 0x8000;
}

/// <summary>The few libc calls .NET does not offer: hard links, inode numbers, fsync of a folder.</summary>
internal static partial class UnixFile
{
    public const int ENOENT = 2;
    public const int EEXIST = 17;
    public const int EXDEV = 18;
    public const int EPERM = 1;
    public const int EMLINK = 31;
    public const int ENOTSUP = 95;
    public const int ELOOP = 40;

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;
    private const int ORdOnly = 0;

    /// <summary>Calls link(2); returns 0 or the errno.</summary>
    public static int TryLink(string existing, string newPath) =>
        Link(existing, newPath) == 0 ? 0 : Marshal.GetLastPInvokeError();

    public static UnixStat Stat(string path)
    {
        // statx's buffer has one layout on every architecture, unlike struct stat.
        Span<byte> buffer = stackalloc byte[256];
        unsafe
        {
            fixed (byte* pointer = buffer)
            {
                if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, pointer) != 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    throw new IOException($"Cannot read the file status of '{path}': {new Win32Exception(errno).Message}.");
                }
            }
        }

        var nlink = BitConverter.ToUInt32(buffer[16..]);
        var mode = BitConverter.ToUInt16(buffer[28..]);
        var inode = BitConverter.ToUInt64(buffer[32..]);
        var size = BitConverter.ToInt64(buffer[40..]);
        var devMajor = BitConverter.ToUInt32(buffer[136..]);
        var devMinor = BitConverter.ToUInt32(buffer[140..]);
        return new UnixStat(new FileIdentity(((ulong)devMajor << 32) | devMinor, inode), nlink, mode, size);
    }

    /// <summary>Makes a rename or a new file in <paramref name="folder"/> survive a power loss.</summary>
    public static void SyncFolder(string folder)
    {
        var fd = Open(folder, ORdOnly);
        if (fd < 0)
        {
            return;
        }

        try
        {
            _ = Fsync(fd);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Sets permission bits; Windows has none, and Lading's image work runs on Linux build agents.</summary>
    public static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    /// <summary>Calls realpath(3): the path with every symbolic link and '..' resolved; null and the errno when it cannot be.</summary>
    public static string? RealPath(string path, out int errno)
    {
        var resolved = RealPathNative(path, 0);
        if (resolved == 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return null;
        }

        try
        {
            errno = 0;
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            Free(resolved);
        }
    }

    public static string Describe(int errno) => new Win32Exception(errno).Message;

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string newPath);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int dirFd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "realpath", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint RealPathNative(string path, nint resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(nint pointer);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
