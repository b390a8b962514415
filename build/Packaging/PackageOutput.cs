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
            Built = build.Time ?? DateTimeOffset.UtcNow,
            Lading = PackageManifest.LadingVersion,
            Charts = build.Charts,
            DeletedCharts = build.DeletedCharts,
            Images = build.PackagedImages.OrderBy(i => i.Name, StringComparer.Ordinal).ToList(),
            BlobsInBase = build.BlobsInBase,
            Files = PackageManifest.Describe(build.Staging, build.KnownDigests),
        };
        await File.WriteAllTextAsync(Path.Combine(build.Staging, PackageManifest.FileName), manifest.ToJson(), cancellationToken);

        Directory.CreateDirectory(outputFolder);
        TemporaryFile.RemoveAbandoned(outputFolder);
        var tar = Path.Combine(outputFolder, build.FullName + ".tar");
        var sidecar = tar + ".sha256";
        var temporaryTar = TemporaryFile.Beside(tar);
        var temporarySidecar = TemporaryFile.Beside(sidecar);
        TarWriteResult tarred;
        string sha256;
        try
        {
            // Hashed as it is written: the tar is not read again for its sidecar.
            tarred = await PackageTarWriter.WriteFileAsync(Path.GetDirectoryName(build.Staging)!, temporaryTar, cancellationToken, time: build.Time);
            sha256 = tarred.Sha256!.Value.Hex;

            await File.WriteAllTextAsync(temporarySidecar, $"{sha256}  {Path.GetFileName(tar)}\n", cancellationToken);

            // A tar with a .sha256 beside it is always whole and matches it: the old sidecar goes first, the new one lands last.
            File.Delete(sidecar);
            File.Move(temporaryTar, tar, overwrite: true);
            File.Move(temporarySidecar, sidecar, overwrite: true);
            UnixFile.SyncFolder(outputFolder);
        }
        finally
        {
            foreach (var leftover in new[] { temporaryTar, temporarySidecar }.Where(File.Exists))
            {
                File.Delete(leftover);
            }
        }

        return new WrittenPackage(tar, sha256, new FileInfo(tar).Length, tarred);
    }
}
