using System.Formats.Tar;
using System.IO.Compression;
using Lading.Images;

namespace Lading.Charts;

/// <summary>One file of a deterministic archive: its name inside the archive and how to read its bytes.</summary>
internal sealed record ArchiveFile(string Name, Func<Stream> Open);

/// <summary>
/// Writes .tar.gz files whose bytes depend only on the names and contents given: entries in ordinal order,
/// fixed time, mode 0644, owner 0:0 without names, and a gzip header without name, time or OS.
/// </summary>
internal static class DeterministicTarGz
{
    /// <summary>The time every entry carries; zip's epoch, which every tar and gzip reader accepts.</summary>
    public static readonly DateTimeOffset FixedTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    // Go's gzip writer, which helm uses, marks the OS as unknown; this also keeps Windows and Linux builds identical.
    private const byte UnknownOs = 255;

    /// <summary>Writes the archive under a temporary name beside <paramref name="destination"/>, then renames it into place.</summary>
    public static async Task<Digest> WriteAsync(string destination, IEnumerable<ArchiveFile> files, CancellationToken cancellationToken)
    {
        var sorted = files.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        var duplicate = sorted.Zip(sorted.Skip(1)).FirstOrDefault(pair => pair.First.Name == pair.Second.Name);
        if (duplicate.First is not null)
        {
            throw new ArgumentException($"Two files would be stored as '{duplicate.First.Name}'.", nameof(files));
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(destination))!;
        Directory.CreateDirectory(folder);
        var temporary = TemporaryFile.Beside(Path.GetFullPath(destination));
        try
        {
            await using (var output = new FileStream(temporary, System.IO.FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, useAsync: true))
            {
                await using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
                await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
                {
                    foreach (var file in sorted)
                    {
                        await using var content = file.Open();
                        var entry = Entry(file.Name);
                        entry.DataStream = content;
                        await tar.WriteEntryAsync(entry, cancellationToken);
                    }
                }

                await FixGzipHeaderAsync(output, cancellationToken);
                await output.FlushAsync(cancellationToken);
                output.Flush(flushToDisk: true);
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

        await using var written = File.OpenRead(destination);
        return Digest.FromHash(await System.Security.Cryptography.SHA256.HashDataAsync(written, cancellationToken));
    }

    private static TarEntry Entry(string name)
    {
        // Plain ustar when the name fits its name field (what helm writes); a GNU long-name entry otherwise, which every
        // reader knows. Not PAX: .NET names PAX headers after the writing process, so bytes would vary between builds.
        // The GNU entry carries no access or change time: Python's tarfile would read those fields as a name prefix.
        TarEntry entry = FitsUstar(name)
            ? new UstarTarEntry(TarEntryType.RegularFile, name)
            : new GnuTarEntry(TarEntryType.RegularFile, name);
        entry.ModificationTime = FixedTime;
        entry.Mode = FileMode;
        entry.Uid = 0;
        entry.Gid = 0;
        return entry;
    }

    private static bool FitsUstar(string name) => name.Length <= 100 && name.All(char.IsAscii);

    private static async Task FixGzipHeaderAsync(FileStream output, CancellationToken cancellationToken)
    {
        // Bytes 4-7 are the modification time and byte 9 the OS; zero time means "none" in RFC 1952.
        var header = new byte[10];
        output.Position = 0;
        await output.ReadExactlyAsync(header, cancellationToken);
        if (header[0] != 0x1f || header[1] != 0x8b || (header[3] & 0x08) != 0)
        {
            throw new InvalidOperationException("The gzip stream did not start with a plain header.");
        }

        header[4] = header[5] = header[6] = header[7] = 0;
        header[9] = UnknownOs;
        output.Position = 0;
        await output.WriteAsync(header, cancellationToken);
        output.Position = output.Length;
    }
}
