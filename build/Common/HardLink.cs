namespace Lading.Common;

public enum LinkOutcome
{
    /// <summary>A new hard link now shares the source's bytes.</summary>
    Linked,

    /// <summary>The destination already was this very file; nothing was written.</summary>
    AlreadyPresent,

    /// <summary>The bytes were copied, because a hard link is impossible here (another file system).</summary>
    Copied,
}

/// <summary>Places a file by hard link, copying only when the file system cannot link.</summary>
public static class HardLink
{
    /// <summary>
    /// Makes <paramref name="destination"/> a hard link of <paramref name="source"/>. An existing destination that is
    /// already that file is left alone; any other one is replaced atomically, so a re-run repairs what it finds.
    /// </summary>
    /// <param name="onCopied">Told the source, the destination and why, when the bytes had to be copied.</param>
    public static LinkOutcome Place(string source, string destination, Action<string, string, string>? onCopied = null)
    {
        // The common case, a new path, in one link(2): a package lays out thousands of blobs.
        var direct = UnixFile.TryLink(source, destination);
        if (direct == UnixFile.ENOENT && File.Exists(source))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
            direct = UnixFile.TryLink(source, destination);
        }

        if (direct == 0)
        {
            return LinkOutcome.Linked;
        }

        var sourceIdentity = UnixFile.Stat(source).Identity;
        if (IsSameFile(destination, sourceIdentity))
        {
            return LinkOutcome.AlreadyPresent;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(destination))!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(destination)}.{Guid.NewGuid():N}.tmp");
        var errno = UnixFile.TryLink(source, temporary);
        try
        {
            LinkOutcome outcome;
            if (errno == 0)
            {
                outcome = LinkOutcome.Linked;
            }
            else if (errno is UnixFile.EXDEV or UnixFile.EMLINK or UnixFile.EPERM or UnixFile.ENOTSUP)
            {
                // Across file systems, past the link limit, or where links are not allowed, bytes must be copied.
                File.Copy(source, temporary);
                onCopied?.Invoke(source, destination, UnixFile.Describe(errno));
                outcome = LinkOutcome.Copied;
            }
            else
            {
                throw new IOException($"Cannot hard link '{source}' to '{destination}': {UnixFile.Describe(errno)}.");
            }

            File.Move(temporary, destination, overwrite: true);
            return outcome;
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private static bool IsSameFile(string path, FileIdentity identity)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        return UnixFile.Stat(path).Identity == identity;
    }
}
