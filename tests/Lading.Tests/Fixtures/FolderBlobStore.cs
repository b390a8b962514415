using System.Security.Cryptography;
using Lading.Images;

namespace Lading.Tests.Fixtures;

/// <summary>A plain IBlobStore over a folder, enough to test the client without the real content store.</summary>
public sealed class FolderBlobStore(string folder) : IBlobStore
{
    public bool Contains(Digest digest) => File.Exists(PathOf(digest));

    public string PathOf(Digest digest) => Path.Combine(folder, digest.Hex);

    public Stream OpenRead(Digest digest) => File.OpenRead(PathOf(digest));

    public IEnumerable<Digest> All => !Directory.Exists(folder) ? [] : Directory.EnumerateFiles(folder).Where(f => !Path.GetFileName(f).StartsWith(".tmp-")).Select(f => Digest.Parse($"sha256:{Path.GetFileName(f)}"));

    public async Task PutAsync(Digest expected, Stream content, long? expectedSize, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".tmp-{Guid.NewGuid():N}");
        try
        {
            long size;
            Digest actual;
            await using (var file = File.Create(temporary))
            {
                using var sha = SHA256.Create();
                await using (var hashing = new CryptoStream(file, sha, CryptoStreamMode.Write, leaveOpen: true))
                {
                    await content.CopyToAsync(hashing, cancellationToken);
                }

                size = file.Length;
                actual = Digest.FromHash(sha.Hash!);
            }

            if (actual != expected || (expectedSize is { } s && s != size))
            {
                throw new InvalidDataException($"store: got {actual} ({size} bytes), expected {expected} ({expectedSize} bytes)");
            }

            try
            {
                File.Move(temporary, PathOf(expected));
            }
            catch (IOException) when (Contains(expected))
            {
                // Another writer stored the same bytes first.
            }
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public async Task<Digest> PutAsync(byte[] bytes)
    {
        var digest = Digest.Of(bytes);
        if (!Contains(digest))
        {
            await PutAsync(digest, new MemoryStream(bytes), bytes.Length, CancellationToken.None);
        }

        return digest;
    }

    public byte[] Read(Digest digest) => File.ReadAllBytes(PathOf(digest));
}
