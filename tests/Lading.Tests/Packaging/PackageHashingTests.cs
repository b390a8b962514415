using System.Security.Cryptography;
using Lading.Packaging;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Packaging;

/// <summary>A package's bytes are hashed once: image blobs not at all (the store verified them), the tar as it is written.</summary>
public sealed class PackageHashingTests : IDisposable
{
    private readonly TempFolder _temp = new("lading-package-hashing");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_file_whose_digest_is_known_is_described_by_it_without_being_read_and_the_others_are_hashed()
    {
        var blob = _temp.Write("staging/images/oci/blobs/sha256/blob", "blob bytes");
        _temp.Write("staging/install.sh", "echo hi\n");
        // A digest the bytes do not have: used as given shows the file was not read.
        var known = Digest.Of("what the store verified"u8);

        var files = PackageManifest.Describe(_temp.Combine("staging"), new Dictionary<string, Digest> { [blob] = known });

        Assert.Equal(
        [
            new PackagedFile("images/oci/blobs/sha256/blob", 10, known.Hex),
            new PackagedFile("install.sh", 8, Convert.ToHexStringLower(SHA256.HashData("echo hi\n"u8))),
        ], files);
    }

    [Fact]
    public async Task The_digest_of_a_tar_written_as_a_file_is_that_of_its_bytes()
    {
        _temp.Write("package/p/install.sh", "echo hi\n");
        _temp.Write("package/p/images/data", new string('x', 300_000));
        var tar = _temp.Combine("out", "p.tar");

        var written = await PackageTarWriter.WriteFileAsync(_temp.Combine("package"), tar, CancellationToken.None);

        Assert.Equal(Digest.Of(File.ReadAllBytes(tar)), written.Sha256);
    }
}
