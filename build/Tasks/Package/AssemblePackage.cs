using System.Formats.Tar;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Images;
using Lading.Packaging;
using Lading.Recipes;
using Lading.Reporting;
using Lading.Tasks.Images;

namespace Lading.Tasks.Package;

[TaskName(nameof(AssemblePackage))]
[TaskDescription("Assembles <name>-<version>/ (charts, images, scripts, configs, version.yml, install.sh, load-images.sh, manifest.json) into one tar with its .sha256, each blob's bytes once")]
[IsDependentOn(typeof(PackageCharts))]
[IsDependentOn(typeof(SyncImages))]
[Needs(SettingKeys.ReleaseRepo)]
public sealed class AssemblePackage : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var build = context.Package("platform");
        Directory.CreateDirectory(build.Staging);
        foreach (var folder in new[] { "scripts", "configs" })
        {
            CopyTree(Path.Combine(build.Source, folder), Path.Combine(build.Staging, folder));
        }

        CopyFile(Path.Combine(build.Source, Lading.Release.VersionFile.FileName), Path.Combine(build.Staging, Lading.Release.VersionFile.FileName));
        if (build.Kind == "hotfix")
        {
            CopyFile(Path.Combine(build.Source, "install.sh"), Path.Combine(build.Staging, "install-charts.sh"));
            WriteScript(Path.Combine(build.Staging, "install.sh"), PackageScripts.HotfixGuard(build.BaseVersion!, build.Version));
            build.BlobsInBase = RemoveBlobsOfBasePackage(context, build);
        }
        else
        {
            CopyFile(Path.Combine(build.Source, "install.sh"), Path.Combine(build.Staging, "install.sh"));
        }

        WriteScript(Path.Combine(build.Staging, PackageScripts.LoadImages), PackageScripts.LoadImagesScript());
        var chartPackages = build.Charts.Select(c => Path.Combine(build.Staging, c.File)).ToList();
        if (chartPackages.Count > 0)
        {
            // Written only now, with the package: a run that failed earlier leaves no artifact behind.
            var archive = Path.Combine(context.OutputFolder, $"{build.FullName}-{Lading.Charts.ChartArchive.FileName}");
            Directory.CreateDirectory(context.OutputFolder);
            await Lading.Charts.ChartArchive.WriteAsync(chartPackages, archive);
            context.Record("charts.tar.gz", archive);
        }

        context.RecordPackage(await PackageOutput.WriteAsync(build, context.OutputFolder, CancellationToken.None));
    }

    private static int RemoveBlobsOfBasePackage(BuildContext context, PackageBuild build)
    {
        if (!context.Settings.Has(SettingKeys.BasePackage))
        {
            return 0;
        }

        var basePackage = context.PathOf(SettingKeys.BasePackage);
        var inBase = new HashSet<string>(StringComparer.Ordinal);
        using (var stream = File.OpenRead(basePackage))
        using (var reader = new TarReader(stream))
        {
            while (reader.GetNextEntry() is { } entry)
            {
                var parts = entry.Name.Split('/');
                var at = Array.IndexOf(parts, "blobs");
                if (at > 0 && parts.Length == at + 5 && parts[at + 1] == "sha256" && parts[^1] == "data")
                {
                    inBase.Add(parts[at + 3]);
                }
            }
        }

        var blobs = Path.Combine(build.ImagesFolder, PackageImages.RegistryFolder, "docker", "registry", "v2", "blobs", "sha256");
        var removed = 0;
        if (Directory.Exists(blobs))
        {
            foreach (var data in Directory.GetFiles(blobs, "data", SearchOption.AllDirectories))
            {
                if (inBase.Contains(Path.GetFileName(Path.GetDirectoryName(data)!)))
                {
                    File.Delete(data);
                    Directory.Delete(Path.GetDirectoryName(data)!);
                    removed++;
                }
            }
        }

        context.Log.Information("{0} blob(s) left out: the base package {1} already delivered them", removed, Path.GetFileName(basePackage));
        return removed;
    }

    private static void WriteScript(string path, string text)
    {
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }
    }

    private static void CopyFile(string from, string to)
    {
        if (!File.Exists(from))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(from, to, overwrite: true);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(to, File.GetUnixFileMode(from));
        }
    }

    private static void CopyTree(string from, string to)
    {
        if (!Directory.Exists(from))
        {
            return;
        }

        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            if (new FileInfo(file).LinkTarget is not null)
            {
                throw new PackageException($"{file}: symbolic links are not packaged; commit the file itself");
            }

            CopyFile(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
