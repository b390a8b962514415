using System.Security.Cryptography;

namespace Lading.Packaging.Upload;

/// <summary>Uploads to a <c>file://</c> folder (a mounted share, a local release folder): copy to .part, flush to disk, rename.</summary>
public sealed class FolderUploader : IUploader
{
    private const int BufferSize = 1 << 20;

    public async Task<UploadResult> UploadAsync(string localFile, Uri destination, UploadCredentials? credentials, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        if (!destination.IsAbsoluteUri || !destination.IsFile)
        {
            throw new UploadException(destination, "not a file:// folder.");
        }

        if (!File.Exists(localFile))
        {
            throw new UploadException(destination, $"the file to upload, {localFile}, does not exist.");
        }

        var folder = destination.LocalPath;
        var name = Path.GetFileName(localFile);
        var final = Path.Combine(folder, name);
        if (string.Equals(Path.GetFullPath(final), Path.GetFullPath(localFile), StringComparison.Ordinal))
        {
            throw new UploadException(destination, $"{localFile} is already in the destination folder.");
        }

        try
        {
            Directory.CreateDirectory(folder);
            var (size, sha256) = await CopyAtomicallyAsync(localFile, final, progress, cancellationToken);
            var checksum = Path.Combine(folder, Sha256File.NameFor(name));
            await WriteAtomicallyAsync(checksum, Sha256File.Content(sha256, name), cancellationToken);
            var verified = new FileInfo(final).Length == size;
            return new UploadResult(new Uri(final), new Uri(checksum), size, sha256, verified, Attempts: 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UploadException(destination, e.Message, inner: e);
        }
    }

    private static async Task<(long Size, string Sha256)> CopyAtomicallyAsync(string source, string final, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var part = final + ".part";
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true))
            await using (var output = new FileStream(part, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
            {
                var buffer = new byte[BufferSize];
                int read;
                while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    size += read;
                    progress?.Report(size);
                }

                // The rename below must not become visible before the bytes are on disk.
                output.Flush(flushToDisk: true);
            }

            File.Move(part, final, overwrite: true);
            return (size, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        catch
        {
            TryDelete(part);
            throw;
        }
    }

    private static async Task WriteAtomicallyAsync(string final, string content, CancellationToken cancellationToken)
    {
        var part = final + ".part";
        try
        {
            await using (var output = new FileStream(part, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                await output.WriteAsync(System.Text.Encoding.UTF8.GetBytes(content), cancellationToken);
                output.Flush(flushToDisk: true);
            }

            File.Move(part, final, overwrite: true);
        }
        catch
        {
            TryDelete(part);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
