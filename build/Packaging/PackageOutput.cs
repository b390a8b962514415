using System.Security.Cryptography;
using Lading.Images;

namespace Lading.Packaging;

public sealed record WrittenPackage(string Tar, string Sha256, long Size, TarWriteResult Tarred)
{
    /// <summary>Every file in the tar, hard links included: the count Inspect reads back from the manifest.</summary>
    public int FileCount => Tarred.Files + Tarred.HardLinks;
}

/// <summary>Turns an assembled package folder into the artifact: manifest.json, one tar written atomically, its .sha256.</summary>
public static class PackageOutput
{
    public static async Task<WrittenPackage> WriteAsync(PackageBuild build, string outputFolder, CancellationToken cancellationToken)
    {
        var manifest = new PackageManifest
        {
            Name = build.Name,
            Kind = build.Identity.KindName,
            Version = build.Version,
            BaseVersion = build.BaseVersion,
            Customer = build.Customer,
            Commit = build.Commit,
            Built = DateTimeOffset.UtcNow,
            Charts = build.Charts,
            DeletedCharts = build.DeletedCharts,
            Images = build.PackagedImages.OrderBy(i => i.Name, StringComparer.Ordinal).ToList(),
            BlobsInBase = build.BlobsInBase,
            Files = PackageManifest.Describe(build.Staging),
        };
        await File.WriteAllTextAsync(Path.Combine(build.Staging, PackageManifest.FileName), manifest.ToJson(), cancellationToken);

        Directory.CreateDirectory(outputFolder);
        var tar = Path.Combine(outputFolder, build.FullName + ".tar");
        var tarred = await PackageTarWriter.WriteFileAsync(Path.GetDirectoryName(build.Staging)!, tar, cancellationToken);
        string sha256;
        await using (var stream = File.OpenRead(tar))
        {
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        }

        var sidecar = tar + ".sha256";
        await File.WriteAllTextAsync(sidecar + ".tmp", $"{sha256}  {Path.GetFileName(tar)}\n", cancellationToken);
        File.Move(sidecar + ".tmp", sidecar, overwrite: true);
        return new WrittenPackage(tar, sha256, new FileInfo(tar).Length, tarred);
    }
}
